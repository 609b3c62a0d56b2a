package zalo

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/testkit"
)

// Past its limits (one file's size, a chat's files in an hour) a file goes as its text with a
// line saying why; within them, and for other chats, by URL; a chat's count starts again after
// its hour.
func TestZaloFileLimits(t *testing.T) {
	fake, clock := fakezalo.New(t), testkit.NewClock(t)
	files := &Files{Base: "https://bot.example.org", Now: clock.Now, MaxFile: 8, PerHour: 2}
	cfg := fakeConfig(fake)
	cfg.Files, cfg.Logger = files, slog.New(slog.DiscardHandler)
	z := newTransport(cfg, testkit.HandlerFunc(nil))
	small := &flows.File{Name: "chart.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("PNG"), Text: "Tân Phong: 88%"}
	big := &flows.File{Name: "so-lieu.xlsx", Kind: flows.Document, Data: []byte("XLSX too big"), Text: "Tân Phong: 88%"}
	steps := []struct {
		name, user string
		file       *flows.File
		later      time.Duration
		want       string // the method of the call, then its text
	}{
		{"too big", "u1", big, 0, "sendMessage Số liệu\n\n📝 Bảng tính Excel được gửi dưới dạng chữ (" + fileTooBigNote + "):\nTân Phong: 88%"},
		{"first", "u1", small, 0, "sendPhoto "},
		{"second", "u1", small, 0, "sendPhoto "},
		{"third in the hour", "u1", small, 0, "sendMessage Số liệu\n\n📝 Biểu đồ được gửi dưới dạng chữ (" + fileQuotaNote + "):\nTân Phong: 88%"},
		{"another chat", "u2", small, 0, "sendPhoto "},
		{"the next hour", "u1", small, time.Hour, "sendPhoto "},
	}
	for _, st := range steps {
		clock.Advance(st.later)
		before := len(fake.Sent(st.user))
		if err := z.Send(t.Context(), Ident(st.user), flows.Reply{Text: "Số liệu", File: st.file}); err != nil {
			t.Fatalf("%s: Send: %v", st.name, err)
		}
		var got []string
		for _, c := range fake.Sent(st.user)[before:] {
			got = append(got, c.Method+" "+c.Params["text"])
		}
		if strings.Join(got, " | ") != st.want {
			t.Errorf("%s: got %q, want %q", st.name, got, st.want)
		}
	}
}
