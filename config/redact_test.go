package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretsRedacted(t *testing.T) {
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN":  "123456:TOKEN-tg-very-secret",
		"ZALO_BOT_TOKEN":      "zalo-very-secret",
		"WEBHOOK_URL":         "https://bot.example.vn/hook/123456:TOKEN-tg-very-secret",
		"WEBHOOK_SECRET":      "hook_very_secret",
		"REDIS_URL":           "redis://:redis-pw-secret@redis.example.vn:6379/0",
		"ZALO_WEBHOOK_URL":    "https://bot.example.vn/zalo/zalo-hook-secret-1",
		"ZALO_WEBHOOK_SECRET": "zalo-hook-secret-1",
	}
	c := mustLoad(t, nil, vars)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("start", "config", c)
	outputs := map[string]string{
		"String":   c.String(),
		"%v":       fmt.Sprintf("%v", c),
		"%+v":      fmt.Sprintf("%+v", c),
		"%#v":      fmt.Sprintf("%#v", c),
		"%d":       fmt.Sprintf("%d", c),
		"%v ptr":   fmt.Sprintf("%v", &c),
		"slog":     logged.String(),
		"Sprint[]": fmt.Sprint([]Config{c}),
	}
	secrets := []string{"TOKEN-tg-very-secret", "zalo-very-secret", "hook_very_secret", "redis-pw-secret", "zalo-hook-secret-1"}
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: got %q, want no %q in it", name, out, s)
			}
		}
		for _, want := range []string{"redis.example.vn", "bot.example.vn", redacted} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: got %q, want %q in it", name, out, want)
			}
		}
	}
}

func TestUnsetSecretShowsEmpty(t *testing.T) {
	c := Default()
	if got, want := c.String(), "telegram_token= "; !strings.Contains(got, want) {
		t.Errorf("String(): got %q, want it to contain %q", got, want)
	}
}
