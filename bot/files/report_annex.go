package files

import (
	"slices"
	"strings"

	"danvan/flows"
)

// attribute groups the narrative answers of units in scope by question, each under its unit's
// name, in directory order; an answer from a unit outside the scope is dropped (the source
// was asked for the scope's units only, and this is not the place to trust it).
func (m *Maker) attribute(in reportInput) map[string][]Attributed {
	order := make(map[string]int, len(in.units))
	for i, u := range in.units {
		order[u.ID] = i
	}
	texts := slices.Clone(in.texts)
	slices.SortStableFunc(texts, func(a, b Narrative) int { return order[a.Unit] - order[b.Unit] })
	out := map[string][]Attributed{}
	for _, t := range texts {
		text := strings.TrimSpace(t.Text)
		i, ok := order[t.Unit]
		if !ok || text == "" {
			continue
		}
		out[t.Question] = append(out[t.Question], Attributed{Unit: in.units[i].Name.In(reportLang), Text: text})
	}
	return out
}

// modelsByField counts the registered models of units in scope by field, in the order fields
// first appear, and all of them.
func (m *Maker) modelsByField(in reportInput) ([]ModelsByField, ModelsByField) {
	inScope := make(map[string]bool, len(in.units))
	for _, u := range in.units {
		inScope[u.ID] = true
	}
	var out []ModelsByField
	index := map[string]int{}
	units := map[string]map[string]bool{}
	all := map[string]bool{}
	total := ModelsByField{Field: fmText(reportLang, "total")}
	for _, md := range in.models {
		if !inScope[md.Unit] {
			continue
		}
		i, ok := index[md.Field]
		if !ok {
			i = len(out)
			index[md.Field] = i
			out = append(out, ModelsByField{Field: md.Field})
			units[md.Field] = map[string]bool{}
		}
		out[i].Registered++
		total.Registered++
		if md.Recognised {
			out[i].Recognised++
			total.Recognised++
		}
		units[md.Field][md.Unit], all[md.Unit] = true, true
	}
	for i := range out {
		out[i].Units = len(units[out[i].Field])
	}
	total.Units = len(all)
	return out, total
}

// annexCol is one figure column of the annex tables: a question's answer or a rate.
type annexCol struct {
	form, question string
	rate           *flows.Indicator
}

// annexColumns lays out the annex's figures from the indicators the period measures: each
// one's denominator and numerator (once each), then its rate.
func (m *Maker) annexColumns(per flows.Period) ([]annexCol, []string) {
	var cols []annexCol
	var heads []string
	seen := map[[2]string]bool{}
	for i, ind := range m.Indicators {
		f, ok := m.formOf(ind)
		if !ok || !flows.Measures(ind, f, per.Kind) {
			continue
		}
		for _, q := range []string{ind.Den, ind.Num} {
			if qq, ok := f.Question(q); ok && !seen[[2]string{f.ID, q}] {
				seen[[2]string{f.ID, q}] = true
				cols = append(cols, annexCol{form: f.ID, question: q})
				heads = append(heads, qq.Label.In(reportLang))
			}
		}
		if ind.IsRate() {
			cols = append(cols, annexCol{form: f.ID, rate: &m.Indicators[i]})
			heads = append(heads, fmText(reportLang, "annex_rate", ind.ID))
		}
	}
	return cols, heads
}

// annex fills the annex tables: the units by place and by organisation, each group with its
// total, and the total of all.
func (m *Maker) annex(r *Report, in reportInput) {
	cols, heads := m.annexColumns(in.per)
	r.AnnexColumns = heads
	forms := m.askedForms(in.per)
	a := annexer{m: m, in: in, cols: cols, forms: forms}
	for _, g := range m.placeGroups(in) {
		r.Places = append(r.Places, a.group(g.label, g.units))
	}
	for _, o := range m.Dir.Orgs() {
		var us []flows.Node
		for _, u := range in.units {
			if u.Org == o.ID {
				us = append(us, u)
			}
		}
		if len(us) > 0 {
			r.Orgs = append(r.Orgs, a.group(o.Name.In(reportLang), us))
		}
	}
	r.Total = a.total(fmText(reportLang, "grand_total"), in.units)
}

// unitGroup is the units of one place of the annex.
type unitGroup struct {
	label string
	units []flows.Node
}

// placeGroups groups the units by the place directly below their view's node that holds them
// (a commune below the province), or the view's node itself for the units hanging there.
func (m *Maker) placeGroups(in reportInput) []unitGroup {
	var out []unitGroup
	index := map[string]int{}
	for _, u := range in.units {
		p := m.placeOf(u, in.views)
		i, ok := index[p]
		if !ok {
			i = len(out)
			index[p] = i
			out = append(out, unitGroup{label: m.Dir.Label(p, reportLang)})
		}
		out[i].units = append(out[i].units, u)
	}
	return out
}

// placeOf returns the place below the top of u's view on u's way up: the group u is counted in.
// The top of a view of everything is the directory's single root, as for a chart.
func (m *Maker) placeOf(u flows.Node, views []flows.View) string {
	top := ""
	for _, v := range views {
		if v.Node == "" || m.Dir.Within(u.ID, v.Node) {
			top = v.Node
			break
		}
	}
	if roots := m.Dir.Children(""); top == "" && len(roots) == 1 {
		top = roots[0]
	}
	for cur := u.Parent; cur != ""; {
		n, ok := m.Dir.Node(cur)
		if !ok || cur == top || n.Parent == top {
			return cur
		}
		cur = n.Parent
	}
	return u.Parent
}

// annexer writes annex rows.
type annexer struct {
	m     *Maker
	in    reportInput
	cols  []annexCol
	forms []flows.Form
}

// group writes the rows of units and their total.
func (a annexer) group(label string, units []flows.Node) AnnexGroup {
	g := AnnexGroup{Label: label, Rows: make([]AnnexRow, 0, len(units))}
	for _, u := range units {
		g.Rows = append(g.Rows, a.unitRow(u))
	}
	g.Total = a.total(label, units)
	return g
}

// unitRow writes one unit's figures: empty where it has not reported (or was returned).
func (a annexer) unitRow(u flows.Node) AnnexRow {
	row := AnnexRow{Label: u.Name.In(reportLang), Cells: make([]string, len(a.cols))}
	for i, c := range a.cols {
		s, ok := a.in.subs[flows.Key{Unit: u.ID, Period: a.in.per.ID, Form: c.form}]
		if !ok || s.Returned != nil {
			continue
		}
		row.Cells[i] = valueCell(c, s.Values)
	}
	st := a.m.unitState(u, a.forms, a.in)
	switch {
	case st.done == len(a.forms) && st.late:
		row.Status = fmText(reportLang, "st_late")
	case st.done == len(a.forms):
		row.Status = fmText(reportLang, "st_ontime")
	case st.done > 0:
		row.Status = fmText(reportLang, "st_partial", st.done, len(a.forms))
	case st.returned > 0:
		row.Status = fmText(reportLang, "st_return")
	default:
		row.Status = fmText(reportLang, "st_missing")
	}
	row.Status = upperFirst(row.Status)
	return row
}

// total writes the sums of units' figures (reported, not returned) and how many reported.
func (a annexer) total(label string, units []flows.Node) AnnexRow {
	sums := map[string]map[string]int64{}
	done := 0
	for _, f := range a.forms {
		sums[f.ID] = map[string]int64{}
	}
	for _, u := range units {
		for id, vs := range sums {
			if s, ok := a.in.subs[flows.Key{Unit: u.ID, Period: a.in.per.ID, Form: id}]; ok && s.Returned == nil {
				for q, v := range s.Values {
					vs[q] += v
				}
			}
		}
		if a.m.unitState(u, a.forms, a.in).done == len(a.forms) {
			done++
		}
	}
	row := AnnexRow{Label: label, Cells: make([]string, len(a.cols)),
		Status: fmText(reportLang, "annex_done", done, len(units))}
	for i, c := range a.cols {
		row.Cells[i] = valueCell(c, sums[c.form])
	}
	return row
}

// valueCell writes one figure of vs: a number, a rate ("—" with nothing to divide by).
func valueCell(c annexCol, vs map[string]int64) string {
	if c.rate == nil {
		v, ok := vs[c.question]
		if !ok {
			return ""
		}
		return flows.FormatNumber(v)
	}
	if v, ok := c.rate.Value(vs); ok {
		return flows.FormatPercent(v)
	}
	return "—"
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
