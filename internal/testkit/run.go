package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// MustRun runs a transport's Run in the background until the test ends, then stops it and
// checks it returned nil.
func MustRun(tb testing.TB, run func(ctx context.Context) error) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: got %v, want nil", err)
		}
	})
}

// MustPost posts update as JSON to a webhook at url, with secret in header unless secret is
// empty, checks the status is want and returns the response's body.
func MustPost(tb testing.TB, url, header, secret string, update any, want int) []byte {
	tb.Helper()
	body, err := json.Marshal(update)
	if err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if secret != "" {
		req.Header.Set(header, secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode != want {
		tb.Fatalf("webhook POST: got %d, want %d", res.StatusCode, want)
	}
	return got
}

// MustContain fails unless got contains want.
func MustContain(tb testing.TB, got, want string) {
	tb.Helper()
	if !strings.Contains(got, want) {
		tb.Fatalf("got %q, want it to contain %q", got, want)
	}
}
