package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"danvan/bot/transport"
)

// defaultAPIURL is the Zalo Bot Platform endpoint; calls go to <base>/bot<token>/<method>.
const defaultAPIURL = "https://bot-api.zaloplatforms.com"

// APIError is an error envelope of the Zalo Bot API: {"ok":false,"error_code":…,
// "description":…}, or a bare HTTP error status when the body was no envelope.
type APIError struct {
	Code        int
	Description string
}

// Error says what the API answered.
func (e *APIError) Error() string {
	return fmt.Sprintf("zalo: error %d: %s", e.Code, e.Description)
}

// isTimeout reports whether err is getUpdates saying that no message came within its timeout.
func isTimeout(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == http.StatusRequestTimeout
}

// isNotFound reports whether err is the API answering 404: what a webhook method can answer on
// a bot that has no webhook.
func isNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == http.StatusNotFound
}

// client is a small client of the Zalo Bot API: every method is a JSON POST answered by an
// envelope {ok, result, error_code, description}. There is no Go SDK worth depending on.
type client struct {
	base  string // without the trailing slash
	token string
	http  *http.Client
}

// envelope is every answer of the API.
type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   errorCode       `json:"error_code"`
	Description string          `json:"description"`
}

// errorCode is error_code as deployments send it: a number (the docs), a number in a string,
// or something else, which reads 0 so the HTTP status stands in. An envelope must never fail
// to decode over it: that would turn a rate limit into an unexplained error.
type errorCode int

// UnmarshalJSON reads 429, "429" and " 429 "; anything else is 0.
func (c *errorCode) UnmarshalJSON(b []byte) error {
	n, err := strconv.Atoi(strings.TrimSpace(strings.Trim(string(b), `"`)))
	if err != nil {
		n = 0
	}
	*c = errorCode(n)
	return nil
}

// call posts params to method and decodes the result into out (nil to ignore it). Errors never
// hold the token: the URL is left out of them.
func (c *client) call(ctx context.Context, method string, params, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("zalo %s: encode: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/bot"+c.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("zalo %s: %w", method, c.redact(err))
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("zalo %s: %w", method, c.redact(err))
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("zalo %s: read answer: %w", method, c.redact(err))
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("zalo %s: %w", method, &APIError{Code: res.StatusCode, Description: http.StatusText(res.StatusCode)})
	}
	if !env.OK {
		code := int(env.ErrorCode)
		if code == 0 {
			code = res.StatusCode
		}
		return fmt.Errorf("zalo %s: %w", method, &APIError{Code: code, Description: env.Description})
	}
	if out == nil || len(env.Result) == 0 {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("zalo %s: decode result: %w", method, err)
	}
	return nil
}

// redact hides the token, which a network error quotes inside the request URL.
func (c *client) redact(err error) error { return transport.Redact(err, c.token) }

// botInfo is getMe's result.
type botInfo struct {
	ID   string `json:"id"`
	Name string `json:"account_name"`
}

// update is one event: a message of some kind.
type update struct {
	EventName string   `json:"event_name"`
	Message   *message `json:"message"`
}

// message is an incoming message; ids are strings and the date is in milliseconds.
type message struct {
	MessageID string `json:"message_id"`
	From      struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
		Name        string `json:"name"`
		IsBot       bool   `json:"is_bot"`
	} `json:"from"`
	Chat struct {
		ID       string `json:"id"`
		ChatType string `json:"chat_type"`
	} `json:"chat"`
	Date int64  `json:"date"`
	Text string `json:"text"`
}

// getUpdates waits up to timeout seconds for the next update; the API hands out one at a time
// and answers 408 when none came. It reports false when the result held no update.
func (c *client) getUpdates(ctx context.Context, timeout int) (update, bool, error) {
	var raw json.RawMessage
	if err := c.call(ctx, "getUpdates", map[string]string{"timeout": fmt.Sprint(timeout)}, &raw); err != nil {
		return update{}, false, err
	}
	return decodeUpdate(raw)
}

// decodeUpdate reads one update. Deployments differ in the shape they deliver: the update
// itself, a list of them (the first counts) or an envelope whose result is the update.
func decodeUpdate(raw json.RawMessage) (update, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return update{}, false, nil
	}
	if raw[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
			return update{}, false, err
		}
		raw = list[0]
	}
	var u struct {
		update
		Result *update `json:"result"`
	}
	if err := json.Unmarshal(raw, &u); err != nil {
		return update{}, false, fmt.Errorf("decode zalo update: %w", err)
	}
	if u.Result != nil {
		u.update = *u.Result
	}
	return u.update, u.Message != nil, nil
}

func (c *client) sendMessage(ctx context.Context, chatID, text string) error {
	return c.call(ctx, "sendMessage", map[string]string{"chat_id": chatID, "text": text}, nil)
}

// sendPhoto sends the photo at photoURL with caption under it. An empty caption is left out:
// the docs give a caption 1–2,000 characters, and the clients that work against the service
// send none rather than an empty one.
func (c *client) sendPhoto(ctx context.Context, chatID, photoURL, caption string) error {
	params := map[string]string{"chat_id": chatID, "photo": photoURL}
	if caption != "" {
		params["caption"] = caption
	}
	return c.call(ctx, "sendPhoto", params, nil)
}

// webhookInfo is what setWebhook, deleteWebhook and getWebhookInfo answer: the URL set ("" for
// none) and, after setWebhook on some deployments, Zalo's check of the URL.
type webhookInfo struct {
	URL          string          `json:"url"`
	UpdatedAt    int64           `json:"updated_at"`
	Verification json.RawMessage `json:"verification"`
}

func (c *client) setWebhook(ctx context.Context, u, secret string) (webhookInfo, error) {
	return c.webhookCall(ctx, "setWebhook", map[string]string{"url": u, "secret_token": secret})
}

func (c *client) deleteWebhook(ctx context.Context) error {
	_, err := c.webhookCall(ctx, "deleteWebhook", struct{}{})
	return err
}

func (c *client) getWebhookInfo(ctx context.Context) (webhookInfo, error) {
	return c.webhookCall(ctx, "getWebhookInfo", struct{}{})
}

// webhookCall calls a webhook method. A result that is no object (true, on older deployments)
// reads as an empty webhookInfo: the call succeeded, and that is what counts.
func (c *client) webhookCall(ctx context.Context, method string, params any) (webhookInfo, error) {
	var raw json.RawMessage
	if err := c.call(ctx, method, params, &raw); err != nil {
		return webhookInfo{}, err
	}
	var info webhookInfo
	_ = json.Unmarshal(raw, &info)
	return info, nil
}

func (c *client) getMe(ctx context.Context) (botInfo, error) {
	var b botInfo
	err := c.call(ctx, "getMe", struct{}{}, &b)
	return b, err
}
