package fakezalo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// secretHeader carries the webhook's secret_token in every call the fake makes to it.
const secretHeader = "X-Bot-Api-Secret-Token"

// PostWebhook POSTs update u to the webhook set, as the docs describe Zalo's calls: the
// envelope {"ok": true, "result": u}, JSON, with the secret_token in X-Bot-Api-Secret-Token.
// It returns the webhook's status; the call is recorded as method "webhook" (Failed unless
// 200). Only a webhook on 127.0.0.1 is ever called.
func (f *Server) PostWebhook(u map[string]any) (int, error) {
	hook := f.webhook()
	target, err := url.Parse(hook.url)
	if err != nil || target.Hostname() != "127.0.0.1" {
		return 0, fmt.Errorf("fakezalo: webhook %q is not a test server on 127.0.0.1", hook.url)
	}
	body, err := json.Marshal(map[string]any{"ok": true, "result": u})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(secretHeader, hook.secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.record(Call{Method: "webhook", Failed: true})
		return 0, err
	}
	defer res.Body.Close()
	drain(res.Body)
	f.record(Call{Method: "webhook", Params: map[string]string{"status": fmt.Sprint(res.StatusCode)}, Failed: res.StatusCode != http.StatusOK})
	return res.StatusCode, nil
}
