package files

import (
	"context"
	"fmt"

	"danvan/flows"
)

// chartGroup is one bar to be: the tallies of Parts added up.
type chartGroup struct {
	label string
	parts []flows.View
}

// chart makes the PNG of indicator a.Indicator over views, a bar per place or organisation.
func (m *Maker) chart(ctx context.Context, per flows.Period, views []flows.View, a flows.Attachment, lang flows.Lang) (flows.File, error) {
	d, err := m.chartData(ctx, per, views, a, lang)
	if err != nil {
		return flows.File{}, err
	}
	png, err := RenderChart(d)
	if err != nil {
		return flows.File{}, fmt.Errorf("chart %s %s: %w", a.Indicator, per.ID, err)
	}
	name := fmt.Sprintf("chi-tieu-%s-%s.png", a.Indicator, per.ID)
	return flows.File{Name: name, Kind: flows.Photo, MIME: "image/png", Data: png, Text: ChartText(d)}, nil
}

// chartData loads the tallies behind the bars, and the total for the subtitle, in one call.
func (m *Maker) chartData(ctx context.Context, per flows.Period, views []flows.View, a flows.Attachment, lang flows.Lang) (ChartData, error) {
	ind, ok := m.indicator(a.Indicator)
	if !ok {
		return ChartData{}, fmt.Errorf("chart: unknown indicator %q", a.Indicator)
	}
	groups := m.chartGroups(views, a.By, lang)
	var keys []flows.TallyKey
	for _, g := range append(groups, chartGroup{parts: views}) {
		for _, v := range g.parts {
			keys = append(keys, m.tallyKeys(v, per.ID, ind.Form)...)
		}
	}
	tallies, err := m.Source.Tallies(ctx, keys)
	if err != nil {
		return ChartData{}, fmt.Errorf("chart %s %s: load tallies: %w", ind.ID, per.ID, err)
	}
	total := m.sumTally(tallies, views, per.ID, ind.Form)
	d := ChartData{
		Title: ind.Name.In(lang) + " — " + viewLabel(m.Dir, views, lang),
		Subtitle: fmText(lang, "chart_sub", ind.ID, per.Label(lang), total.Reported,
			len(m.Dir.ViewUnits(views...))),
	}
	for _, g := range groups {
		f := flows.Evaluate(ind, m.sumTally(tallies, g.parts, per.ID, ind.Form))
		d.Bars = append(d.Bars, Bar{Label: g.label, Value: f.Value, OK: f.OK, Met: f.Met})
		d.Target, d.HasTarget, d.Percent = f.Target, f.HasTarget, f.Percent
	}
	d.Legend = ChartLegend{Met: fmText(lang, "met"), Missed: fmText(lang, "missed"),
		Target: fmText(lang, "target", flows.TargetText(ind, lang))}
	return d, nil
}

// chartGroups lays out the bars: by "org" one per organisation the views allow; by "node" (the
// default) one per place directly below each view, or per organisation where there is none.
func (m *Maker) chartGroups(views []flows.View, by string, lang flows.Lang) []chartGroup {
	dir := m.Dir
	if by == "org" {
		return m.orgGroups(views, lang)
	}
	var out []chartGroup
	for _, v := range views {
		places := m.barPlaces(v.Node)
		if len(places) == 0 {
			out = append(out, m.orgGroups([]flows.View{v}, lang)...)
			continue
		}
		for _, p := range places {
			out = append(out, chartGroup{label: dir.Label(p, lang), parts: []flows.View{{Node: p, Org: v.Org}}})
		}
	}
	return out
}

// orgGroups makes a bar per organisation that has units in some view, over those views.
func (m *Maker) orgGroups(views []flows.View, lang flows.Lang) []chartGroup {
	var out []chartGroup
	for _, o := range m.Dir.Orgs() {
		g := chartGroup{label: o.Short.In(lang)}
		for _, v := range views {
			part := flows.View{Node: v.Node, Org: o.ID}
			if (v.Org == "" || v.Org == o.ID) && len(m.Dir.ViewUnits(part)) > 0 {
				g.parts = append(g.parts, part)
			}
		}
		if len(g.parts) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// barPlaces lists the places a chart of node draws a bar each for: those directly below it; for
// the whole directory ("") with a single root, those below that root, since one bar for
// everything says nothing.
func (m *Maker) barPlaces(node string) []string {
	dir := m.Dir
	if roots := dir.Children(""); node == "" && len(roots) == 1 {
		node = roots[0]
	}
	return dir.ChildPlaces(node)
}

// tallyKeys names the tallies that make up view v: the whole directory is its roots.
func (m *Maker) tallyKeys(v flows.View, period, form string) []flows.TallyKey {
	org := v.Org
	if org == "" {
		org = flows.AllOrgs
	}
	nodes := []string{v.Node}
	if v.Node == "" {
		nodes = m.Dir.Children("")
	}
	out := make([]flows.TallyKey, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, flows.TallyKey{Period: period, Node: n, Org: org, Form: form})
	}
	return out
}

// sumTally adds up the tallies of views.
func (m *Maker) sumTally(ts map[flows.TallyKey]flows.Tally, views []flows.View, period, form string) flows.Tally {
	var t flows.Tally
	for _, v := range views {
		for _, k := range m.tallyKeys(v, period, form) {
			t.Add(ts[k])
		}
	}
	return t
}
