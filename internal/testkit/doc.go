// Package testkit is what tests of several packages share: a clock moved by hand, a store on a
// key prefix of its own on the shared Redis, the dispatcher wired as main wires it, a driver
// for one person's chat, a barrier that tells when a chat's updates are answered, a Sender
// that records, the figures the end-to-end tests submit and check, a Redis round-trip counter,
// a log sink safe for goroutines, and the StepsFor table. Readers of the files people receive
// are in internal/filetest, which the files package's own tests can import too.
//
// It is for tests only: it knows the dispatcher, the store and the reminders, never a transport
// (transports' own tests import it, so it cannot import them), and never talks to anything but
// 127.0.0.1. Its helpers take a testing.TB and fail the test themselves.
package testkit
