// Package layout holds no code: its test states the import rules that keep each concern with
// one owner (the pure engine imports none of ours, storage only the engine, no transport
// another, the files package and dirsheet only the engine and no Redis client,
// internal/filetest none of ours so the files package's tests can use it, none but main and
// internal/metrics Prometheus, and internal/metrics none of ours) and fails the build, naming
// the offending import, when a change breaks one.
package layout
