package fakezalo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The fake refuses, with 400, what the docs do not allow, and takes what they do.
func TestStrict(t *testing.T) {
	long := strings.Repeat("á", maxText+1)
	tests := []struct {
		name, method, ctype, body string
		refused                   string // part of why; "" when accepted
	}{
		{"text", "sendMessage", "application/json", `{"chat_id":"u1","text":"Xin chào"}`, ""},
		{"charset", "sendMessage", "application/json; charset=utf-8", `{"chat_id":"u1","text":"a"}`, ""},
		{"photo without caption", "sendPhoto", "application/json", `{"chat_id":"u1","photo":"https://x.vn/a.png"}`, ""},
		{"empty caption", "sendPhoto", "application/json", `{"chat_id":"u1","photo":"https://x.vn/a.png","caption":""}`, "caption must be 1 to 2000"},
		{"long caption", "sendPhoto", "application/json", `{"chat_id":"u1","photo":"https://x.vn/a.png","caption":"` + long + `"}`, "caption must be 1 to 2000"},
		{"empty text", "sendMessage", "application/json", `{"chat_id":"u1","text":""}`, "missing text"},
		{"long text", "sendMessage", "application/json", `{"chat_id":"u1","text":"` + long + `"}`, "text must be 1 to 2000"},
		{"unknown parameter", "sendMessage", "application/json", `{"chat_id":"u1","text":"a","parse_mode":"HTML"}`, "unknown parameter parse_mode"},
		{"number chat id", "sendMessage", "application/json", `{"chat_id":1,"text":"a"}`, "chat_id must be a string"},
		{"missing chat", "sendMessage", "application/json", `{"text":"a"}`, "missing chat_id"},
		{"form body", "sendMessage", "application/x-www-form-urlencoded", `chat_id=u1&text=a`, "not application/json"},
		{"unknown method", "sendVoice", "application/json", `{}`, "unknown method"},
		{"timeout as number", "getUpdates", "application/json", `{"timeout":30}`, "timeout must be a string"},
		{"http webhook", "setWebhook", "application/json", `{"url":"http://x.vn/h","secret_token":"12345678"}`, "url must be an https URL"},
		{"short secret", "setWebhook", "application/json", `{"url":"https://x.vn/h","secret_token":"1234"}`, "secret_token must be 8 to 256"},
		{"webhook", "setWebhook", "application/json", `{"url":"https://x.vn/h","secret_token":"12345678"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(t)
			res, err := http.Post(f.URL+"/bot"+Token+"/"+tt.method, tt.ctype, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var env struct {
				OK          bool   `json:"ok"`
				Description string `json:"description"`
			}
			if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
				t.Fatal(err)
			}
			if tt.refused == "" {
				if res.StatusCode != http.StatusOK || !env.OK {
					t.Errorf("got %d %q, want it accepted", res.StatusCode, env.Description)
				}
				return
			}
			if res.StatusCode != http.StatusBadRequest || env.OK || !strings.Contains(env.Description, tt.refused) {
				t.Errorf("got %d %q, want 400 saying %q", res.StatusCode, env.Description, tt.refused)
			}
			if r := f.Refused(); len(r) != 1 || !strings.Contains(r[0].Refused, tt.refused) {
				t.Errorf("Refused: got %+v, want the call", r)
			}
		})
	}
}

// With a webhook set, a delivered update is POSTed to it in the documented envelope, with the
// secret in X-Bot-Api-Secret-Token; getUpdates is refused meanwhile.
func TestDeliverToWebhook(t *testing.T) {
	f := New(t)
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.Header.Get(secretHeader) + " " + r.Header.Get("Content-Type") + " " + string(b)
	}))
	t.Cleanup(hook.Close)
	res, err := http.Post(f.URL+"/bot"+Token+"/setWebhook", "application/json",
		strings.NewReader(`{"url":"`+hook.URL+`/zalo","secret_token":"hook-secret"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	f.Push("message.text.received", "m1", "u1", "Xin chào")
	want := `hook-secret application/json {"ok":true,"result":{"event_name":"message.text.received","message":`
	if g := <-got; !strings.HasPrefix(g, want) {
		t.Errorf("webhook got %q, want it to start %q", g, want)
	}
}
