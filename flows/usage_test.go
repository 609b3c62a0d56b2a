package flows

import (
	"strings"
	"testing"
	"time"
)

// An admin's /calendar ends with what each channel sent this month: the count alone when the
// quota is unknown, against the quota when it is known, with a warning from 80% of it.
func TestCalendarUsage(t *testing.T) {
	now := time.Date(2026, 3, 16, 8, 0, 0, 0, testLoc)
	tests := []struct {
		name     string
		usage    []ChannelUsage
		want     []string
		wantNone string
	}{
		{"unknown quota", []ChannelUsage{{Channel: "Zalo", Year: 2026, Month: 3, Sent: 1250}},
			[]string{"📨 Tin nhắn Zalo đã gửi tháng 3/2026: 1.250"}, "⚠️ Đã dùng"},
		{"under 80%", []ChannelUsage{{Channel: "Zalo", Year: 2026, Month: 3, Sent: 1200, Quota: 3000}},
			[]string{"📨 Tin nhắn Zalo đã gửi tháng 3/2026: 1.200 / 3.000 theo hạn mức gói (40%)"}, "⚠️ Đã dùng"},
		{"at 80%", []ChannelUsage{{Channel: "Zalo", Year: 2026, Month: 3, Sent: 2400, Quota: 3000}},
			[]string{"2.400 / 3.000 theo hạn mức gói (80%)", "⚠️ Đã dùng 80% hạn mức tin nhắn Zalo của tháng"}, ""},
		{"nothing counted", nil, nil, "📨"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := Env{Person: Person{ID: "mai", Admin: true}, Dir: mustDirectory(t), Forms: testForms(),
				Calendar: testCalendar(), Plan: &Plan{}, Usage: tt.usage}
			_, replies, _ := Step(&env, State{}, Input{Kind: CommandInput, Command: "calendar"}, now)
			var texts []string
			for _, r := range replies {
				texts = append(texts, r.Text)
			}
			all := strings.Join(texts, "\n")
			for _, want := range tt.want {
				if !strings.Contains(all, want) {
					t.Errorf("calendar: got %q, want %q in it", all, want)
				}
			}
			if tt.wantNone != "" && strings.Contains(all, tt.wantNone) {
				t.Errorf("calendar: got %q, want no %q", all, tt.wantNone)
			}
		})
	}
}
