package bot_test

import (
	"strings"
	"testing"
	"time"

	"danvan/bot/files"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/fixture"
	"danvan/internal/testkit"
)

// mergedDirectory is the tests' 2023 city as history below a province, its wards Tân Phong and
// Đông Phong and its commune San Thàng merged on 1 July 2025 into the ward Tân Phong of 2025.
func mergedDirectory(tb testing.TB, cfg config.Config) *flows.Directory {
	tb.Helper()
	nodes := []flows.Node{{ID: "lc", Name: flows.Text{Vi: "Tỉnh Lai Châu"}}}
	for _, n := range cfg.Units {
		if n.ID == "laichau" {
			n.Parent, n.ValidTo = "lc", 20250630
		}
		nodes = append(nodes, n)
	}
	nodes = append(nodes, flows.Node{ID: "lc-tanphong", Parent: "lc", Name: flows.Text{Vi: "Phường Tân Phong"},
		ValidFrom: 20250701, MergedFrom: []string{"tanphong", "dongphong", "santhang"}})
	for _, o := range cfg.Orgs[:5] {
		nodes = append(nodes, flows.Node{ID: "lc-tanphong-" + o.ID, Parent: "lc-tanphong", Org: o.ID, Name: flows.Text{Vi: o.Short.Vi + " phường Tân Phong"}})
	}
	dir, err := flows.NewDirectory(cfg.Orgs, nodes)
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestMergerThroughTheDispatcher: the old units filed the first half-year of 2025 under the 2023
// directory; the province is loaded and the tallies recounted, as main does at start; in the nine
// months the new ward's Women's Union is offered its three predecessors' figures added up, keeps
// them, and the leaders' /figures compare the province and the new ward with the half-year.
func TestMergerThroughTheDispatcher(t *testing.T) {
	store, clock := testkit.MustStore(t), testkit.NewClock(t)
	d := testkit.MustDispatcher(t, store, clock)
	cfg := fixture.Config(t)
	vn := cfg.Location()
	filed := time.Date(2025, 6, 10, 9, 0, 0, 0, vn)
	members := map[string][4]int64{"tanphong-phunu": {500, 450, 10, 400}, "dongphong-phunu": {400, 300, 5, 270}, "santhang-phunu": {350, 250, 5, 230}}
	for unit, m := range members {
		k := flows.Key{Unit: unit, Period: "2025-H1", Form: "membership"}
		values := map[string]int64{"eligible": m[0], "members": m[1], "new_members": m[2], "active": m[3]}
		sub := flows.Submission{Key: k, Values: values, By: "tg:1", At: filed, Version: 1, Ref: flows.Reference(k, 1, filed)}
		if err := store.Apply(t.Context(), []flows.Effect{flows.Submit{Submission: sub, Form: cfg.Forms[0]}}); err != nil {
			t.Fatal(err)
		}
	}
	merged := mergedDirectory(t, cfg)
	clock.Set(time.Date(2025, 9, 5, 9, 0, 0, 0, vn))
	d.Settings.Dir = merged
	d.Files = &files.Maker{Source: store, Dir: merged, Forms: cfg.Forms, Calendar: d.Settings.Calendar, Indicators: cfg.Indicators()}
	store.UseModel(merged, d.Settings.Calendar, cfg.Indicators())
	if _, err := store.Recount(t.Context(), cfg.Forms, clock.Now()); err != nil {
		t.Fatalf("Recount: %v", err)
	}
	testkit.MustLink(t, store, "tg:2001", flows.Person{ID: "tg:2001", Name: "Lan", Units: []string{"lc-tanphong-phunu", "tanphong-phunu"}})
	testkit.MustLink(t, store, "tg:3001", flows.Person{ID: "tg:3001", Name: "Hùng", Scopes: []string{"lc"}})
	seq := 0
	lan := testkit.NewChat(t, d, "tg:2001", "Lan", &seq)
	// the old unit may still correct the first half-year, open until 13/09; the picker tells them apart
	lan.Command("report", "")
	if b := lan.MustButton("(đến 30/06/2025)"); !strings.HasPrefix(b.Label, "Hội LHPN · Phường Tân Phong") {
		t.Fatalf("old unit's button: got %q", b.Label)
	}
	lan.Press("Hội LHPN · Phường Tân Phong")
	lan.MustSay("Hội LHPN · Phường Tân Phong · 9 tháng năm 2025") // the new unit: the nine months only
	for _, want := range []string{"1.250", "1.000", "20", "900"} {
		if b := lan.MustButton("Giữ như kỳ trước"); !strings.Contains(b.Label, want+" (cộng 3 đơn vị cũ)") {
			t.Fatalf("keep: got %q, want %s (cộng 3 đơn vị cũ)", b.Label, want)
		}
		lan.Press("Giữ như kỳ trước")
	}
	lan.Press("Gửi")
	lan.MustSay("Đã gửi")

	hung := testkit.NewChat(t, d, "tg:3001", "Hùng", &seq)
	hung.Command("figures", "9 tháng")
	hung.MustSay("Tỉnh Lai Châu")
	hung.MustSay("so với 6 tháng đầu năm 2025: 80% (=)") // 1.000 ÷ 1.250 then and now
	hung.Press("Theo phường, xã")
	hung.Press("Phường Tân Phong")
	hung.MustSay("so với 6 tháng đầu năm 2025: 80% (=) (cộng 3 đơn vị cũ)")
}
