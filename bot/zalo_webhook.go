package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// zaloSecretHeader carries the webhook's secret_token in every call Zalo makes.
const zaloSecretHeader = "X-Bot-Api-Secret-Token"

// zaloMaxWebhookBody bounds a webhook request; a text message is a few kilobytes.
const zaloMaxWebhookBody = 1 << 20

// WebhookHandler returns the handler Zalo posts updates to in webhook mode. A request without
// the right secret gets 401 and is not handled; a good one is handled before the 200, so a
// crashed process does not acknowledge what it never finished.
func (z *Zalo) WebhookHandler() http.Handler { return http.HandlerFunc(z.serveWebhook) }

func (z *Zalo) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if !z.secretOK(r.Header.Get(zaloSecretHeader)) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, zaloMaxWebhookBody))
	if err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	u, ok, err := decodeZaloUpdate(json.RawMessage(raw))
	if err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	j, keep := convertZalo(u)
	if !ok || !keep {
		writeZaloOK(w) // an ignored kind: 200, or Zalo would keep resending it
		return
	}
	done := make(chan struct{})
	if err := z.submit(r.Context(), j, func() { close(done) }); err != nil {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	select {
	case <-done:
	case <-r.Context().Done():
	}
	writeZaloOK(w)
}

func writeZaloOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// secretOK compares in constant time, so the secret cannot be found a byte at a time.
func (z *Zalo) secretOK(got string) bool {
	return z.secret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(z.secret)) == 1
}

// runWebhook registers the webhook, with backoff while the API fails, and waits for ctx.
func (z *Zalo) runWebhook(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		err := z.api.setWebhook(ctx, z.webhookURL, z.secret)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		if attempt+1 >= 5 {
			return fmt.Errorf("zalo setWebhook: %w", err)
		}
		z.log.Warn("zalo: setWebhook failed", "attempt", attempt+1, "err", err)
		if z.wait(ctx, z.backoff(attempt)) != nil {
			return nil
		}
	}
	<-ctx.Done()
	return nil
}
