#!/bin/sh
# Builds the release binary of Dân vận bot: static (no cgo, so it runs on distroless or scratch
# with no libc), with build paths trimmed, symbols stripped and the git revision stamped (shown
# by `danvan version`). The Dockerfile and the static-binary test (build_test.go) both run this
# script, so the binary tested is the binary shipped. GOOS and GOARCH pick the target.
#
#   sh deploy/build.sh [output]        (default ./danvan)
set -eu
cd "$(dirname "$0")/.."
out=${1:-danvan}
# GOFLAGS from the caller's environment (-race, say) would change the build: cleared.
CGO_ENABLED=0 GOFLAGS= exec go build -trimpath -buildvcs=auto -ldflags='-s -w' -o "$out" .
