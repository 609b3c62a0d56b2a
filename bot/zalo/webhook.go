package zalo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"danvan/bot/transport"
)

// secretHeader carries the webhook's secret_token in every call Zalo makes.
const secretHeader = "X-Bot-Api-Secret-Token"

// maxWebhookBody bounds a webhook request; a text message is a few kilobytes.
const maxWebhookBody = 1 << 20

// WebhookHandler returns the handler Zalo posts updates to in webhook mode. A request without
// the right secret gets 401 and is not handled; a good one is handled before the 200, so a
// crashed process does not acknowledge what it never finished.
func (z *Transport) WebhookHandler() http.Handler { return http.HandlerFunc(z.serveWebhook) }

func (z *Transport) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if !transport.WebhookAllowed(w, r, secretHeader, z.secret) {
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	u, ok, err := decodeUpdate(json.RawMessage(raw))
	if err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	j, keep := convert(u)
	if !ok || !keep {
		writeOK(w) // an ignored kind: 200, or Zalo would keep resending it
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
	writeOK(w)
}

func writeOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// runWebhook registers the webhook, with backoff while the API fails, and waits for ctx.
func (z *Transport) runWebhook(ctx context.Context) error {
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
