// Package filetest reads back the files people receive — PNG charts, XLSX workbooks, DOCX
// report drafts — and samples the live heap while a test makes them, for the tests and
// benchmarks of any package.
//
// It imports only the standard library and excelize, never a package of ours, so the files
// package's own tests can use it as well as the end-to-end tests of the transports. It never
// makes a file and never talks to anything. Its helpers take a testing.TB and fail the test
// themselves.
package filetest
