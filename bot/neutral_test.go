package bot_test

import (
	"context"
	"strings"
	"testing"

	"danvan/flows"
	"danvan/internal/filetest"
	"danvan/internal/testkit"
)

// bidi are the characters that can make a name read as another.
const bidi = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C"

// TestBidiNamesNeutralised: display names and a return's reason with bidirectional controls (RLO
// and friends) reach neither a leader's views nor the spreadsheet. Lan's name is cleaned when she
// is linked; Hoa's was stored before names were, and is cleaned where it is shown.
func TestBidiNamesNeutralised(t *testing.T) {
	store, d, _ := testkit.MustBot(t)
	seq := 0
	code := testkit.MustInvite(t, d, &seq, "Phường Tân Phong", "Hội LHPN · Phường Tân Phong")
	lan := testkit.NewChat(t, d, "tg:2001", "Lò Thị \u202ELan\u2066\t", &seq)
	lan.Command("start", code)
	lan.Command("report", "")
	lanSubmits(t, lan)
	if p, _ := store.Person(context.Background(), "tg:2001"); p.Name != "Lò Thị Lan" {
		t.Errorf("Lan's stored name: got %q, want %q", p.Name, "Lò Thị Lan")
	}

	testkit.MustLink(t, store, "tg:2002", flows.Person{ID: "tg:2002", Name: "Vàng \u202EHoa", Units: []string{"tanphong-doan"}})
	hoa := testkit.NewChat(t, d, "tg:2002", "Vàng Hoa", &seq)
	hoa.Command("report", "")
	lanSubmits(t, hoa)

	testkit.MustLink(t, store, "tg:3001", flows.Person{ID: "tg:3001", Name: "Lãnh đạo", Scopes: []string{"tanphong"}})
	leader := testkit.NewChat(t, d, "tg:3001", "Lãnh đạo", &seq)
	var seen []string
	look := func(replies []flows.Reply) { seen = append(seen, allTexts(replies)) }
	look(leader.Command("figures", ""))
	look(leader.Press("Từng đơn vị"))
	look(leader.Press("Hội LHPN · Phường Tân Phong"))
	leader.Press("Trả lại")
	look(leader.Text("Sai\u202E số \u2067hội viên"))
	look(leader.Command("figures", ""))
	look(leader.Press("Từng đơn vị"))
	look(leader.Press("Đoàn"))
	look(leader.Command("missing", ""))
	all := strings.Join(seen, "\n")
	for _, want := range []string{"Lò Thị Lan", "Vàng Hoa", "Sai số hội viên"} {
		if !strings.Contains(all, want) {
			t.Errorf("leader's views: got %q, want %q in them", all, want)
		}
	}
	if i := strings.IndexAny(all, bidi); i >= 0 {
		t.Errorf("leader's views: got a bidi control in %q", all[max(0, i-40):min(len(all), i+40)])
	}

	f := mustReplyFile(t, leader.Command("export", ""), flows.Document)
	x := filetest.MustOpenXLSX(t, f.Data)
	var cells []string
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			cells = append(cells, r...)
		}
	}
	for _, want := range []string{"Lò Thị Lan", "Vàng Hoa", "Sai số hội viên"} {
		if !containsCell(cells, want) {
			t.Errorf("workbook: no cell %q among %q", want, cells)
		}
	}
	for _, c := range cells {
		if strings.ContainsAny(c, bidi) {
			t.Errorf("workbook: cell %q holds a bidi control", c)
		}
	}
}

// allTexts joins the texts and button labels of replies.
func allTexts(replies []flows.Reply) string {
	var parts []string
	for _, r := range replies {
		parts = append(parts, r.Text)
		for _, row := range r.Buttons {
			for _, b := range row {
				parts = append(parts, b.Label)
			}
		}
	}
	return strings.Join(parts, "\n")
}

func containsCell(cells []string, want string) bool {
	for _, c := range cells {
		if c == want {
			return true
		}
	}
	return false
}
