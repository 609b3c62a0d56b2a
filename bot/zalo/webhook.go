package zalo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"danvan/bot/transport"
)

// secretHeader carries the webhook's secret_token in every call Zalo makes.
const secretHeader = "X-Bot-Api-Secret-Token"

// maxWebhookBody bounds a webhook request; a text message is a few kilobytes.
const maxWebhookBody = 1 << 20

// WebhookHandler returns the handler Zalo posts updates to in webhook mode. A request without
// the right secret gets 401 and is not handled. A good one is kept in the Inbox and answered
// 200 at once, before it is handled: Zalo counts a webhook that answers slowly as unreachable,
// and handling with every send can take minutes. Run's workers then handle the chat's updates in
// order; with a shared Inbox a crash after the 200 loses nothing (see Inbox). An update the
// Inbox cannot keep gets 503, so Zalo delivers it again.
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
	// The docs' envelope {ok, result: {event_name, message}} and the bare update both come:
	// decodeUpdate reads either.
	u, ok, err := decodeUpdate(json.RawMessage(raw))
	if err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	j, keep := z.convert(u)
	if !ok || !keep {
		writeOK(w) // an ignored kind: 200, or Zalo would keep resending it
		return
	}
	z.obs.Received(j.kind())
	data, err := json.Marshal(u) // the update alone, as the workers read it back
	if err == nil {
		err = z.inbox.PushUpdate(r.Context(), j.in.Chat, data, z.now())
	}
	if err != nil {
		z.log.Warn("zalo: update not kept; answered 503 so Zalo sends it again", "chat", j.in.Chat, "update", j.in.UpdateID, "err", err)
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	z.kick()
	writeOK(w)
}

func writeOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// runWebhook registers the webhook, with backoff while the API fails, then handles what the
// webhook keeps until ctx is done.
func (z *Transport) runWebhook(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		info, err := z.api.setWebhook(ctx, z.webhookURL, z.secret)
		if err == nil {
			z.logVerification(info.Verification)
			z.obs.Polled(nil, 0) // ready: updates come to the webhook, whenever people write
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		z.obs.Polled(err, 0)
		if attempt+1 >= 5 {
			return fmt.Errorf("zalo setWebhook: %w", err)
		}
		z.log.Warn("zalo: setWebhook failed", "attempt", attempt+1, "err", err)
		if z.wait(ctx, z.backoff(attempt)) != nil {
			return nil
		}
	}
	z.drain(ctx)
	return nil
}

// verification is what some deployments report, in setWebhook's result, of their check of the
// webhook URL; its fields vary, so every one is optional.
type verification struct {
	OK          *bool  `json:"ok"`
	Success     *bool  `json:"success"`
	Verified    *bool  `json:"verified"`
	Status      string `json:"status"`
	Hint        string `json:"hint"`
	Message     string `json:"message"`
	Description string `json:"description"`
}

// logVerification writes Zalo's check of the webhook URL, when setWebhook's result carries
// one: a warning with its hint when the check failed, so an operator learns why no update
// comes, and an info line otherwise.
func (z *Transport) logVerification(raw json.RawMessage) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	var v verification
	if err := json.Unmarshal(raw, &v); err != nil {
		v.Status = string(raw) // a plain string or number: show it as it came
	}
	hint := cmp.Or(v.Hint, v.Message, v.Description, v.Status)
	if len(hint) > 300 {
		hint = hint[:300]
	}
	failed := false
	for _, b := range []*bool{v.OK, v.Success, v.Verified} {
		failed = failed || (b != nil && !*b)
	}
	s := strings.ToLower(v.Status)
	failed = failed || strings.Contains(s, "fail") || strings.Contains(s, "error") || strings.Contains(s, "invalid")
	if failed {
		z.log.Warn("zalo: Zalo could not verify the webhook URL", "url", z.webhookURL, "hint", hint)
		return
	}
	z.log.Info("zalo: webhook URL verified", "url", z.webhookURL, "hint", hint)
}
