package bot_test

import (
	"testing"

	"danvan/flows"
	"danvan/internal/fixture"
	"danvan/internal/nationwide"
	"danvan/internal/testkit"
)

// BenchmarkFiguresNationwide is /figures on the nationwide directory (34 provinces, 3,321
// communes and wards, ≈ 20,000 units, every one with both forms submitted for the current
// period and the one before), through the dispatcher and the real store on the real Redis: a
// province leader's view (≈ 98 communes below it; target p99 ≤ 50 ms) and a commune leader's
// (6 units; target p99 ≤ 10 ms). Seeding ≈ 80,000 submissions is setup, outside the timer.
//
//	go test ./bot -run '^$' -bench Nationwide -benchtime 300x
func BenchmarkFiguresNationwide(b *testing.B) {
	cfg := fixture.Config(b)
	dir, err := nationwide.Directory(cfg.Orgs)
	if err != nil {
		b.Fatal(err)
	}
	province, commune := nationwide.ProvinceID(2), nationwide.CommuneID(2, 7)
	c := mustSeeded(b, cfg, dir, province)
	in := flows.Input{Kind: flows.CommandInput, Command: "figures"}
	views := []struct {
		name, leader, scope string
	}{
		{"province", c.leader, province},
		{"commune", "tg:900001", commune},
	}
	testkit.MustLink(b, c.store, "tg:900001", flows.Person{ID: "tg:900001", Name: "Lường Văn Xã", Scopes: []string{commune}})
	for _, v := range views {
		for _, cold := range []bool{false, true} {
			name := v.name
			if cold {
				name += "-cold" // the first request of a chat in this process: no cached snapshot
			}
			b.Run(name, func(b *testing.B) {
				c.leader, c.cold = v.leader, cold
				defer func() { c.cold = false }()
				c.measure(b, in, c.wantFigures(b, in, v.scope))
			})
		}
	}
}
