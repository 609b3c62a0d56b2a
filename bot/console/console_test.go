package console

import (
	"context"
	"strings"
	"testing"

	"danvan/bot"
	"danvan/flows"
)

// echo answers every input with what it was, under a question with two choices.
type echo struct{ got []flows.Input }

func (e *echo) Handle(_ context.Context, in bot.Incoming) []flows.Reply {
	e.got = append(e.got, in.Input)
	return []flows.Reply{{Text: "Chọn:", Buttons: [][]flows.Button{{{Label: "📤 Gửi", Data: "1|send|"}, {Label: "✖️ Hủy", Data: "1|cancel|"}}}}}
}

// Both styles show the choices and read a typed one back as the button; a /command and text
// go through as they are.
func TestConsoleStyles(t *testing.T) {
	tests := []struct {
		style, shows, pick string
	}{
		{"", "   1) 📤 Gửi\n   2) ✖️ Hủy", "2"},
		{"zalo", "Nhắn số để chọn: 1 – Gửi · 2 – Hủy", "hủy"},
	}
	for _, tt := range tests {
		t.Run("style="+tt.style, func(t *testing.T) {
			h, out := &echo{}, &strings.Builder{}
			c := &Transport{In: strings.NewReader("/report Q1\n" + tt.pick + "\nxin chào\n"), Out: out,
				Handler: h, User: Ident("organiser"), Name: "Mai", Style: tt.style}
			if err := c.Run(context.Background()); err != nil {
				t.Fatalf("Run: got %v, want nil", err)
			}
			if !strings.Contains(out.String(), tt.shows) {
				t.Errorf("output: got %q, want it to contain %q", out.String(), tt.shows)
			}
			want := []flows.Input{
				{Kind: flows.CommandInput, Command: "report", Args: "Q1"},
				{Kind: flows.ButtonInput, Data: "1|cancel|"},
				{Kind: flows.TextInput, Text: "xin chào"},
			}
			if len(h.got) != len(want) {
				t.Fatalf("inputs: got %+v, want %+v", h.got, want)
			}
			for i := range want {
				if h.got[i] != want[i] {
					t.Errorf("input %d: got %+v, want %+v", i, h.got[i], want[i])
				}
			}
		})
	}
}
