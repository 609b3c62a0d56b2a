package main

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/storage"
)

// TestFanoutRatesPerToken: two replicas wired from one configuration share each token's pace
// (at one message per 100 s, the second replica's first ask on a channel must wait), Telegram's,
// Zalo's and a tenant's own Telegram bot's apart (each token its own ~30 messages a second); a
// channel without a token is paced per process.
func TestFanoutRatesPerToken(t *testing.T) {
	prefix := redistest.Prefix(t, "wirerate")
	cfg := config.Default()
	cfg.TelegramToken, cfg.ZaloToken = "123456:AAtelegram", "zalo-token"
	cfg.Tenants = []config.TenantConfig{{ID: "lc", TelegramToken: "654321:AAtenant"}}
	cfg.Reminders.Rate = 0.01
	channel := func(p flows.Person) string { return p.Channel }
	var replicas []channelRates
	for range 2 {
		s := storage.New(redis.NewClient(&redis.Options{Addr: redistest.Addr()}), prefix)
		t.Cleanup(func() { _ = s.Close() })
		replicas = append(replicas, fanoutRates(cfg, s, channel))
	}
	tests := []struct {
		channel      string
		first, again bool // whether each replica's first ask may go at once
	}{
		{"tg", true, false},
		{"tg.lc", true, false},
		{"zalo", true, false},
		{"console", true, true},
	}
	for _, tt := range tests {
		p := flows.Person{ID: "an", Channel: tt.channel}
		for i, want := range []bool{tt.first, tt.again} {
			d, err := replicas[i].Take(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if got := d == 0; got != want {
				t.Errorf("%s, replica %d: got at once %v (wait %v), want %v", tt.channel, i, got, d, want)
			}
		}
	}
}
