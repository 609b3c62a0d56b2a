package flows

import (
	"strings"
	"testing"
	"time"
)

// TestChannels: /kenh and /lienket know the platforms only from Env.Channels; with the two the
// host runs today their texts read as they always did.
func TestChannels(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	lan := Person{ID: "tg:1", Idents: []string{"tg:1"}, Units: []string{"tanphong-phunu"}}
	three := append(testChannels(), Channel{ID: "sig", Name: "signal", Label: "Signal"})
	tests := []struct {
		name    string
		chans   []Channel
		cmd     string
		args    string
		want    string
		channel string // the Channel saved, "" for no save
	}{
		{"usage", testChannels(), "kenh", "", "Dùng: /kenh telegram hoặc /kenh zalo", ""},
		{"unknown", testChannels(), "kenh", "viber", "Dùng: /kenh telegram hoặc /kenh zalo", ""},
		{"usage of three", three, "kenh", "", "Dùng: /kenh telegram, /kenh zalo hoặc /kenh signal", ""},
		{"by name", testChannels(), "kenh", " Telegram ", "Nhắc nhở và thông báo sẽ được gửi qua Telegram.", "tg"},
		{"by id", testChannels(), "kenh", "tg", "Nhắc nhở và thông báo sẽ được gửi qua Telegram.", "tg"},
		{"not linked there", testChannels(), "kenh", "zalo", "Bạn chưa liên kết tài khoản Zalo.", ""},
		{"none run", nil, "kenh", "telegram", "Dùng: ", ""},
		{"link", testChannels(), "lienket", "", "Mở bot trên ứng dụng kia (Telegram hoặc Zalo) và gửi: /lienket CODE", ""},
		{"help", testChannels(), "help", "", "/lienket — liên kết tài khoản Telegram và Zalo\n/kenh telegram|zalo — nơi nhận nhắc nhở", ""},
		{"help of three", three, "help", "", "/lienket — liên kết tài khoản Telegram, Zalo và Signal\n/kenh telegram|zalo|signal —", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &Env{Person: lan, Dir: mustDirectory(t), Forms: testForms(), Calendar: testCalendar(), Code: "CODE", Channels: tt.chans}
			_, replies, effects := Step(env, State{Version: 1}, Input{Kind: CommandInput, Command: tt.cmd, Args: tt.args}, now)
			if got := allText(replies); !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
			saved := ""
			for _, e := range effects {
				if sp, ok := e.(SavePerson); ok {
					saved = sp.Person.Channel
				}
			}
			if saved != tt.channel {
				t.Errorf("saved channel: got %q, want %q", saved, tt.channel)
			}
		})
	}
	if got := Help(lan, mustDirectory(t), testChannels()[:1], VI); strings.Contains(got, "/lienket") {
		t.Errorf("help with one channel: got %q, want no /lienket", got)
	}
}
