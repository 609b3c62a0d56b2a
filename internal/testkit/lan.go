package testkit

import (
	"context"
	"strings"
	"testing"

	"danvan/bot"
	"danvan/flows"
)

// Lan is the tests' organiser of the Women's Union of Tân Phong, on Telegram.
const Lan = "tg:2001"

// MemberKey is the report Lan files: Membership of the Women's Union of Tân Phong, Q1 2026.
var MemberKey = flows.Key{Unit: "tanphong-phunu", Period: "2026-Q1", Form: "membership"}

// LanFigures are the figures Lan types in the tests: "1.250", "1100", "20", "khoảng 1.000".
var LanFigures = map[string]int64{"eligible": 1250, "members": 1100, "new_members": 20, "active": 1000}

// MustInvite has the admin make an organiser's invite for unit (under ward, as the buttons name
// them) and returns the code.
func MustInvite(tb testing.TB, h bot.Handler, seq *int, ward, unit string) string {
	tb.Helper()
	admin := NewChat(tb, h, Admin, "Admin", seq)
	admin.Command("invite", "")
	admin.Press("Cán bộ phụ trách")
	admin.Press(ward)
	admin.Press(unit)
	admin.Press("Tạo mã")
	admin.MustSay("Mã mời: ")
	_, rest, _ := strings.Cut(admin.Said(), "Mã mời: ")
	code, _, _ := strings.Cut(rest, "\n")
	return code
}

// MustLanAtForm has the admin invite Lan as organiser of the Women's Union of Tân Phong, and Lan
// send /report, which opens the Membership form: it returns her chat at question 1.
func MustLanAtForm(tb testing.TB, h bot.Handler, seq *int) *Chat {
	tb.Helper()
	code := MustInvite(tb, h, seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	lan := NewChat(tb, h, Lan, "Lan", seq)
	lan.Command("start", code)
	lan.Command("report", "")
	lan.MustSay("(1/4)")
	return lan
}

// MustDraft returns person's stored draft of MemberKey, nil when there is none.
func MustDraft(tb testing.TB, r bot.Reports, person string) *flows.Draft {
	tb.Helper()
	infos, err := r.Reports(context.Background(), []flows.ReportQuery{{Key: MemberKey, Person: person}})
	if err != nil {
		tb.Fatal(err)
	}
	return infos[MemberKey].Draft
}

// Submissions reads stored submissions; the store is one.
type Submissions interface {
	Submission(ctx context.Context, k flows.Key) (flows.Submission, error)
}

// MustSubmitted returns the stored submission of MemberKey and checks it holds LanFigures.
func MustSubmitted(tb testing.TB, s Submissions) flows.Submission {
	tb.Helper()
	got, err := s.Submission(context.Background(), MemberKey)
	if err != nil {
		tb.Fatalf("submission in Redis: %v", err)
	}
	for k, v := range LanFigures {
		if got.Values[k] != v {
			tb.Errorf("%s: got %d, want %d", k, got.Values[k], v)
		}
	}
	return got
}
