package transport

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// redactedError hides a token: an HTTP client's network errors quote the request URL, which
// carries it.
type redactedError struct {
	msg string
	err error
}

// Error is the message with the token replaced.
func (e *redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is/As working through the redaction.
func (e *redactedError) Unwrap() error { return e.err }

// Redact returns err with every occurrence of token, plain or path-escaped, replaced by
// "<token>"; err itself when it holds none.
func Redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	clean := strings.ReplaceAll(msg, token, "<token>")
	clean = strings.ReplaceAll(clean, url.PathEscape(token), "<token>")
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

// SecretOK tells whether got is the webhook secret want, comparing in constant time so the
// secret cannot be found a byte at a time. Without a configured secret nothing is accepted.
func SecretOK(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// WebhookAllowed checks a webhook request: POST only (405 otherwise) and carrying secret in
// header (401 otherwise). It writes the refusal and reports false; a refused request is not
// handled.
func WebhookAllowed(w http.ResponseWriter, r *http.Request, header, secret string) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return false
	}
	if !SecretOK(r.Header.Get(header), secret) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return false
	}
	return true
}
