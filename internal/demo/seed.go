package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"danvan/flows"
)

// The demo's people: one of each role, switched with /as.
var people = map[string]struct{ ident, name string }{
	"organiser": {"console:organiser", "Chị Lan (Hội LHPN, Đoàn TN phường Tân Phong)"},
	"leader":    {"console:leader", "Anh Hùng (Ban Tuyên giáo và Dân vận Tỉnh ủy)"},
	"admin":     {"console:admin", "Chị Mai (quản trị)"},
}

// sample is who sent the sample reports of the units nobody in the demo reports for.
const sample = "console:sample"

// organiserUnits are the units the demo's organiser reports for: in the ward Tân Phong of 2025.
var organiserUnits = []string{"lc-tanphong-phunu", "lc-tanphong-doan"}

// leaderScope is what the demo's leader reads: the province of 2025, whose figures of the
// periods before 1 July 2025 are those of the old city below it.
const leaderScope = "lc"

// seed links the demo people and files reports: last period's for every unit of that period, so
// "keep last period's value" and the big-change check can be tried, and this period's for most
// units of this one, so a leader has figures to read. Each period has its own units
// (Directory.In): on a demo day before 1 July 2025 the old city's, after it the province's.
func seed(ctx context.Context, store Store, m Model, now time.Time) error {
	if err := seedPeople(ctx, store); err != nil {
		return err
	}
	open := m.Calendar.Open(now)
	if len(open) == 0 {
		return nil
	}
	prev, ok := m.Calendar.Previous(open[0])
	if !ok {
		return nil
	}
	var effects []flows.Effect
	for _, u := range m.Dir.In(prev).Units("") {
		effects = append(effects, reports(m.Forms, u.ID, sender(u.ID), prev, prev.Due.Add(-48*time.Hour), 0)...)
	}
	for i, u := range m.Dir.In(open[0]).Units("") {
		by := sender(u.ID)
		// This period: most units have reported, some late, a few not yet; the organiser's
		// own units are left for the person trying the demo.
		if i%4 != 3 && !slices.Contains(organiserUnits, u.ID) && open[0].Opens.Before(now) {
			at := open[0].Due.Add(-time.Duration(i+1) * 5 * time.Hour)
			if i%5 == 0 || at.After(now) {
				at = now.Add(-time.Duration(i+1) * time.Hour) // late, or the period is not due yet
			}
			effects = append(effects, reports(m.Forms, u.ID, by, open[0], at, 1)...)
		}
	}
	return store.Apply(ctx, effects)
}

// sender is who filed the sample reports of unit.
func sender(unit string) string {
	if slices.Contains(organiserUnits, unit) {
		return people["organiser"].ident
	}
	return sample
}

func seedPeople(ctx context.Context, store Store) error {
	links := []struct {
		who string
		p   flows.Person
	}{
		{"organiser", flows.Person{Units: organiserUnits}},
		{"leader", flows.Person{Scopes: []string{leaderScope}}},
		{"admin", flows.Person{}},
	}
	for _, l := range links {
		p := l.p
		p.ID, p.Name = people[l.who].ident, people[l.who].name
		if err := store.Link(ctx, p.ID, p); err != nil {
			return fmt.Errorf("seed demo person %s: %w", l.who, err)
		}
	}
	s := flows.Person{ID: sample, Name: "Cán bộ đơn vị (dữ liệu mẫu)"}
	if err := store.Link(ctx, sample, s); err != nil {
		return fmt.Errorf("seed demo sample person: %w", err)
	}
	return nil
}

// reports makes plausible figures for one unit's reports of period p, different per unit and per
// round but the same on every run, within the forms' rules.
func reports(forms []flows.Form, unit, by string, p flows.Period, at time.Time, round int) []flows.Effect {
	h := fnv.New32a()
	h.Write([]byte(unit))
	r := int64(h.Sum32()%1000) + int64(round)*37
	eligible := 400 + r*3
	members := eligible * (78 + r%20) / 100
	all := map[string]int64{
		"eligible": eligible, "members": members, "new_members": r % 40, "active": members * (84 + r%15) / 100,
		"branches": 5 + r%12, "branches_good": (5 + r%12) * (85 + r%15) / 100,
		"meetings": 4 + r%20, "participants": members / 2, "models": r % 3, "exemplars": r % 4,
		"petitions": 3 + r%15, "resolved": (3 + r%15) * (60 + r%40) / 100,
	}
	var out []flows.Effect
	for _, f := range forms {
		values := map[string]int64{}
		for _, q := range f.Figures(p.Kind) {
			values[q.ID] = all[q.ID]
		}
		k := flows.Key{Unit: unit, Period: p.ID, Form: f.ID}
		s := flows.Submission{Key: k, Values: values, Texts: sampleTexts(f, p, r), By: by, At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
		out = append(out, flows.Submit{Submission: s, Form: f})
	}
	return out
}

// sampleTexts are a few written answers for the text questions p asks, so the demo's report
// draft quotes some units: about one unit in three writes a shortcoming or a proposal.
func sampleTexts(f flows.Form, p flows.Period, r int64) map[string]string {
	samples := map[string][]string{
		"results":      {"Tổ chức tuyên truyền pháp luật tại các bản, tổ dân phố.", "Vận động hội viên tham gia trồng rừng và bảo vệ rừng đầu nguồn."},
		"shortcomings": {"Một số chi hội ở bản xa sinh hoạt chưa đều.", "Kinh phí hoạt động còn hạn hẹp."},
		"proposals":    {"Đề nghị hỗ trợ tài liệu tuyên truyền song ngữ.", "Đề nghị mở lớp tập huấn cho cán bộ chi hội."},
	}
	var out map[string]string
	for _, q := range f.For(p.Kind) {
		if list := samples[q.ID]; q.IsText() && len(list) > 0 && r%3 == 0 {
			if out == nil {
				out = map[string]string{}
			}
			out[q.ID] = list[int(r/3)%len(list)]
		}
	}
	return out
}
