# syntax=docker/dockerfile:1
# Dân vận bot: a static binary on distroless, as a non-root user, with no shell.
#   docker build -t danvan .
#   docker run --rm danvan version
# The build context includes .git, so the binary knows its revision (.dockerignore keeps it).

ARG GO_VERSION=1.26.8

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# git refuses a checkout owned by another user, and go build would then fail to stamp it.
RUN git config --global --add safe.directory /src
ARG TARGETOS TARGETARCH
# The same script as build_test.go, which checks the result is static.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH sh deploy/build.sh /out/danvan

# distroless/static: CA certificates (Telegram, Zalo over TLS), /etc/passwd with nonroot
# (65532), tzdata; no shell, no package manager. The binary also embeds Go's tzdata.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/danvan /usr/local/bin/danvan
USER nonroot:nonroot
# Webhooks, served files, and /healthz, /readyz and /metrics (or those on METRICS_ADDR).
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/danvan"]
