package fakezalo

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode/utf8"
)

// spec is what the docs allow a method: its required and optional parameters, all strings.
type spec struct {
	required, optional []string
}

// methods are the documented methods (bot.zaloplatforms.com/docs, "Bot API").
var methods = map[string]spec{
	"getMe":          {},
	"getUpdates":     {optional: []string{"timeout"}},
	"setWebhook":     {required: []string{"url", "secret_token"}},
	"deleteWebhook":  {},
	"getWebhookInfo": {},
	"sendMessage":    {required: []string{"chat_id", "text"}},
	"sendPhoto":      {required: []string{"chat_id", "photo"}, optional: []string{"caption"}},
	"sendSticker":    {required: []string{"chat_id", "sticker"}},
	"sendChatAction": {required: []string{"chat_id", "action"}},
}

// maxText is the length of a text or caption the docs allow: 1 to 2,000 characters.
const maxText = 2000

// readParams reads a call's JSON body and checks it against the docs; why says what is wrong,
// "" when nothing is.
func readParams(r *http.Request, method string) (map[string]string, string) {
	defer drain(r.Body)
	params := map[string]string{}
	sp, known := methods[method]
	if !known {
		return params, "unknown method " + method
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		return params, "Content-Type " + strconv.Quote(r.Header.Get("Content-Type")) + " is not application/json"
	}
	var raw map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&raw); err != nil {
		return params, "body is not a JSON object: " + err.Error()
	}
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return params, fmt.Sprintf("%s must be a string, got %T", k, v)
		}
		params[k] = s
		if !slices.Contains(sp.required, k) && !slices.Contains(sp.optional, k) {
			return params, "unknown parameter " + k
		}
	}
	for _, k := range sp.required {
		if params[k] == "" {
			return params, "missing " + k
		}
	}
	return params, check(params)
}

// check applies the docs' rules on values: lengths, URLs, the secret, the timeout.
func check(p map[string]string) string {
	for _, k := range []string{"text", "caption"} {
		if v, ok := p[k]; ok {
			if n := utf8.RuneCountInString(v); n < 1 || n > maxText {
				return fmt.Sprintf("%s must be 1 to %d characters, got %d", k, maxText, n)
			}
		}
	}
	if v, ok := p["photo"]; ok && !webURL(v, false) {
		return "photo must be an http(s) URL"
	}
	if v, ok := p["url"]; ok && !webURL(v, true) {
		return "url must be an https URL"
	}
	if v, ok := p["secret_token"]; ok && (len(v) < 8 || len(v) > 256) {
		return "secret_token must be 8 to 256 characters"
	}
	if v, ok := p["timeout"]; ok {
		if _, err := strconv.Atoi(v); err != nil {
			return "timeout must be a number of seconds"
		}
	}
	if v, ok := p["action"]; ok && v != "typing" && v != "upload_photo" {
		return "action must be typing or upload_photo"
	}
	return ""
}

// webURL reports whether s is an absolute http(s) URL; with tls, https, except that a test's
// own server on 127.0.0.1 may be plain http.
func webURL(s string, tls bool) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return !tls || (ip != nil && ip.IsLoopback())
	}
	return false
}
