package files

import (
	"context"
	"fmt"
	"strings"

	"danvan/flows"
)

// chartGroup is one bar to be: the tallies of parts added up. A part is a place, summed by the
// store's tallies, or a unit, counted from its current submission.
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

// chartData loads the tallies behind the bars, and the total for the subtitle: one call for the
// places' tallies and, when some bar stands for units, one for their submissions.
func (m *Maker) chartData(ctx context.Context, per flows.Period, views []flows.View, a flows.Attachment, lang flows.Lang) (ChartData, error) {
	ind, ok := m.indicator(a.Indicator)
	if !ok {
		return ChartData{}, fmt.Errorf("chart: unknown indicator %q", a.Indicator)
	}
	groups := m.chartGroups(views, a.By, lang)
	parts := views
	for _, g := range groups {
		parts = append(parts, g.parts...)
	}
	sum, err := m.partTallies(ctx, per, ind, parts)
	if err != nil {
		return ChartData{}, fmt.Errorf("chart %s %s: %w", ind.ID, per.ID, err)
	}
	total := sum(views)
	d := ChartData{
		Title: ind.Name.In(lang) + " — " + viewLabel(m.Dir, views, lang),
		Subtitle: fmText(lang, "chart_sub", ind.ID, per.Label(lang), total.Reported,
			len(m.Dir.ViewUnits(views...))),
		Lang: lang,
	}
	for _, g := range groups {
		f := flows.Evaluate(ind, sum(g.parts))
		d.Bars = append(d.Bars, Bar{Label: g.label, Value: f.Value, OK: f.OK, Met: f.Met})
		d.Target, d.HasTarget, d.Percent = f.Target, f.HasTarget, f.Percent
	}
	d.Legend = ChartLegend{Met: fmText(lang, "met"), Missed: fmText(lang, "missed"),
		Target: fmText(lang, "target", flows.TargetText(ind, lang))}
	return d, nil
}

// partTallies loads what parts are made of, the tallies of places and the submissions of units,
// and returns the sum of any of them.
func (m *Maker) partTallies(ctx context.Context, per flows.Period, ind flows.Indicator, parts []flows.View) (func([]flows.View) flows.Tally, error) {
	var keys []flows.TallyKey
	var units []string
	for _, v := range parts {
		if m.isUnit(v.Node) {
			units = append(units, v.Node)
			continue
		}
		keys = append(keys, m.tallyKeys(v, per.ID, ind.Form)...)
	}
	tallies := map[flows.TallyKey]flows.Tally{}
	subs := map[flows.Key]flows.Submission{}
	var err error
	if len(keys) > 0 {
		if tallies, err = m.Source.Tallies(ctx, keys); err != nil {
			return nil, fmt.Errorf("load tallies: %w", err)
		}
	}
	if len(units) > 0 {
		if subs, err = m.Source.Submissions(ctx, per.ID, units, []string{ind.Form}); err != nil {
			return nil, fmt.Errorf("load submissions of %d units: %w", len(units), err)
		}
	}
	return func(vs []flows.View) flows.Tally {
		var t flows.Tally
		for _, v := range vs {
			if m.isUnit(v.Node) {
				if s, ok := subs[flows.Key{Unit: v.Node, Period: per.ID, Form: ind.Form}]; ok {
					t.Add(flows.Contribution(&s, m.Indicators, per.Due))
				}
				continue
			}
			for _, k := range m.tallyKeys(v, per.ID, ind.Form) {
				t.Add(tallies[k])
			}
		}
		return t
	}, nil
}

func (m *Maker) isUnit(node string) bool {
	n, ok := m.Dir.Node(node)
	return ok && n.IsUnit()
}

// chartGroups lays out the bars: by "org" one per organisation the views allow; by "node" (the
// default) one per place directly below each view, one for the units attached directly at the
// view's own level (a city's own organisations), a unit view its own bar, and a view without
// places below it one bar per organisation. With several views, a bar names its view too.
func (m *Maker) chartGroups(views []flows.View, by string, lang flows.Lang) []chartGroup {
	if by == "org" {
		return m.orgGroups(views, lang, "")
	}
	var out []chartGroup
	for _, v := range views {
		suffix := ""
		if len(views) > 1 {
			suffix = " · " + viewLabel(m.Dir, []flows.View{v}, lang)
		}
		if m.isUnit(v.Node) {
			out = append(out, chartGroup{label: m.Dir.Label(v.Node, lang), parts: []flows.View{v}})
			continue
		}
		node, places := m.barPlaces(v.Node)
		if len(places) == 0 {
			out = append(out, m.orgGroups([]flows.View{v}, lang, suffix)...)
			continue
		}
		for _, p := range places {
			out = append(out, chartGroup{label: m.Dir.Label(p, lang), parts: []flows.View{{Node: p, Org: v.Org}}})
		}
		if own := m.ownUnits(node, v.Org); len(own) > 0 {
			out = append(out, chartGroup{label: levelLabel(m.Dir, node, lang) + suffix, parts: own})
		}
	}
	return out
}

// ownUnits are the units of org ("" for all) attached directly to node, as views.
func (m *Maker) ownUnits(node, org string) []flows.View {
	var out []flows.View
	for _, c := range m.Dir.Children(node) {
		if n, _ := m.Dir.Node(c); n.IsUnit() && (org == "" || n.Org == org) {
			out = append(out, flows.View{Node: c})
		}
	}
	return out
}

// orgGroups makes a bar per organisation that has units in some view, over those views, each
// label followed by suffix.
func (m *Maker) orgGroups(views []flows.View, lang flows.Lang, suffix string) []chartGroup {
	var out []chartGroup
	for _, o := range m.Dir.Orgs() {
		g := chartGroup{label: o.Short.In(lang) + suffix}
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

// barPlaces returns the node a chart of node draws the places of, and those places: the ones
// directly below node; for the whole directory ("") with a single root, the ones below that
// root, since one bar for everything says nothing.
func (m *Maker) barPlaces(node string) (string, []string) {
	dir := m.Dir
	if roots := dir.Children(""); node == "" && len(roots) == 1 {
		node = roots[0]
	}
	return node, dir.ChildPlaces(node)
}

// levels are the words Vietnamese place names start with, and the level each names, so a
// chart's bar of a city's own organisations reads "Cấp thành phố".
var levels = []struct{ prefix, vi, en string }{
	{"thành phố", "Cấp thành phố", "City level"}, {"tỉnh", "Cấp tỉnh", "Province level"},
	{"thị xã", "Cấp thị xã", "Town level"}, {"huyện", "Cấp huyện", "District level"},
	{"quận", "Cấp quận", "District level"}, {"phường", "Cấp phường", "Ward level"},
	{"xã", "Cấp xã", "Commune level"}, {"đặc khu", "Cấp đặc khu", "Special zone level"},
}

// levelLabel names the units attached directly at node: "Cấp thành phố" for "Thành phố Lai
// Châu", or "Trực thuộc <name>" for a name that says no level.
func levelLabel(dir *flows.Directory, node string, lang flows.Lang) string {
	n, _ := dir.Node(node)
	name := strings.ToLower(n.Name.Vi)
	for _, l := range levels {
		if strings.HasPrefix(name, l.prefix+" ") {
			return map[flows.Lang]string{flows.VI: l.vi, flows.EN: l.en}[lang]
		}
	}
	return fmText(lang, "own_level", dir.Label(node, lang))
}

// tallyKeys names the tallies that make up place view v: the whole directory is its roots.
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
