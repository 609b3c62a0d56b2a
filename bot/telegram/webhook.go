package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot/transport"
)

// secretHeader carries the webhook's secret_token in every request Telegram makes.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxWebhookBody bounds what a webhook request may make us read; real updates are a few KB.
const maxWebhookBody = 1 << 20

// WebhookHandler returns the handler Telegram posts updates to in webhook mode. A request
// without the right secret gets 401 and is not handled; a good one is handled before the 200,
// so Telegram redelivers what a crashed process did not finish.
func (t *Transport) WebhookHandler() http.Handler {
	return http.HandlerFunc(t.serveWebhook)
}

func (t *Transport) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if !transport.WebhookAllowed(w, r, secretHeader, t.secret) {
		return
	}
	var u tgbotapi.Update
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxWebhookBody)).Decode(&u); err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	job, ok := t.convert(u)
	if !ok {
		return // an ignored kind: 200, or Telegram would keep resending it
	}
	t.obs.Received(job.in.Input.Kind.String())
	// The handling must not die with the request: Telegram may hang up, the work goes on.
	handleCtx := context.WithoutCancel(r.Context())
	if job.callbackID != "" {
		job.inline = &inline{}
	}
	done := make(chan struct{})
	err := t.queues.Submit(r.Context(), job.key(), func() {
		defer close(done)
		t.process(handleCtx, job)
	})
	if err != nil {
		http.Error(w, "busy", http.StatusServiceUnavailable) // Telegram retries later
		return
	}
	select {
	case <-done:
	case <-r.Context().Done():
	}
	if text, ok := job.inline.take(); ok {
		t.answerInResponse(w, r, job, text)
	}
}

// answerInResponse answers a button press in the webhook's response, a method call Telegram
// carries out itself. If the request is already gone, it answers through the Bot API instead.
func (t *Transport) answerInResponse(w http.ResponseWriter, r *http.Request, job job, text string) {
	if r.Context().Err() != nil {
		t.answer(context.WithoutCancel(r.Context()), job, text)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"method": "answerCallbackQuery", "callback_query_id": job.callbackID, "text": truncate(text, 200),
	})
}

// inline hands a button press's answer from the worker to the webhook response, unless the
// response has gone already.
type inline struct {
	mu      sync.Mutex
	closed  bool
	text    string
	offered bool
}

// offer passes text to the response; false means answer through the Bot API instead.
func (x *inline) offer(text string) bool {
	if x == nil {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return false
	}
	x.text, x.offered = text, true
	return true
}

// take closes x to later offers and returns what was offered.
func (x *inline) take() (string, bool) {
	if x == nil {
		return "", false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.closed = true
	return x.text, x.offered
}

// runWebhook registers the webhook and waits for ctx; updates arrive through WebhookHandler.
// The webhook is left set on the way out: other replicas keep serving it.
func (t *Transport) runWebhook(ctx context.Context) error {
	err := t.setWebhook(ctx)
	if err != nil && ctx.Err() == nil {
		t.obs.Polled(err, 0)
		return err
	}
	if err == nil {
		t.obs.Polled(nil, 0) // ready: updates come to the webhook, whenever people write
	}
	<-ctx.Done()
	t.queues.Wait()
	return nil
}

// setWebhook registers WebhookURL with the secret. tgbotapi v5.5.1's WebhookConfig has no
// secret_token field, so the request is made by hand.
func (t *Transport) setWebhook(ctx context.Context) error {
	allowed, err := json.Marshal(allowedUpdates)
	if err != nil {
		return err
	}
	params := tgbotapi.Params{
		"url":             t.webhookURL,
		"secret_token":    t.secret,
		"allowed_updates": string(allowed),
	}
	_, err = t.retry(ctx, "", true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.MakeRequest("setWebhook", params)
	})
	if err != nil {
		return fmt.Errorf("telegram setWebhook: %w", err)
	}
	return nil
}
