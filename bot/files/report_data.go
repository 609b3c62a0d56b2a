package files

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"danvan/flows"
)

// The report's words are Vietnamese whatever the reader's language: it is a Party document.
const reportLang = flows.VI

// reportInput is what one report is made from, loaded in at most four round trips: the
// period's submissions, the tallies of the period before, and, where there are sources for
// them, the narrative answers and the registered models.
type reportInput struct {
	per     flows.Period
	prev    flows.Period
	hasPrev bool
	views   []flows.View
	units   []flows.Node
	subs    map[flows.Key]flows.Submission
	prevT   map[flows.TallyKey]flows.Tally
	texts   []Narrative
	models  []Model
}

// buildReport loads the period over views and lays it out as a Report, header texts filled
// in by the template.
func (m *Maker) buildReport(ctx context.Context, per flows.Period, views []flows.View) (Report, error) {
	in, err := m.loadReport(ctx, per, views)
	if err != nil {
		return Report{}, err
	}
	r := Report{Year: per.Due.Year(), Scope: viewLabel(m.Dir, views, reportLang), HasRegister: usesRegister(in)}
	r.Period = ReportPeriod{ID: per.ID, Kind: string(per.Kind), Name: per.Name.In(reportLang), Year: per.Year,
		Label: per.Label(reportLang)}
	if in.hasPrev {
		r.Period.Prev = in.prev.Label(reportLang)
	}
	r.Node, r.Org = m.reportNode(views), m.reportOrg(views)
	cur := m.formTallies(in)
	r.Indicators = m.indicatorRows(in, cur)
	for _, row := range r.Indicators {
		switch {
		case row.Judged && row.Figure.Met:
			r.Met = append(r.Met, row)
		case row.Judged:
			r.Missed = append(r.Missed, row)
		}
	}
	r.Completeness = m.reportCompleteness(in)
	r.Narratives = m.attribute(in)
	if r.HasRegister {
		r.Models, r.ModelTotal = m.modelsByField(in)
	}
	m.annex(&r, in)
	if err := m.Report.Fill(&r); err != nil {
		return Report{}, fmt.Errorf("report %s: %w", per.ID, err)
	}
	return r, nil
}

// loadReport reads what the report needs.
func (m *Maker) loadReport(ctx context.Context, per flows.Period, views []flows.View) (reportInput, error) {
	in := reportInput{per: per, views: views, units: m.Dir.ViewUnits(views...)}
	ids := make([]string, len(in.units))
	for i, u := range in.units {
		ids[i] = u.ID
	}
	var err error
	if in.subs, err = m.Source.Submissions(ctx, per.ID, ids, m.formIDs()); err != nil {
		return in, fmt.Errorf("report %s: load submissions: %w", per.ID, err)
	}
	if in.prev, in.hasPrev = m.Calendar.Previous(per); in.hasPrev {
		var keys []flows.TallyKey
		for _, v := range views {
			for _, f := range m.Forms {
				keys = append(keys, m.tallyKeys(v, in.prev.ID, f.ID)...)
			}
		}
		if in.prevT, err = m.Source.Tallies(ctx, keys); err != nil {
			return in, fmt.Errorf("report %s: load tallies of %s: %w", per.ID, in.prev.ID, err)
		}
	}
	if m.Narratives != nil {
		if in.texts, err = m.Narratives.Narratives(ctx, per.ID, ids); err != nil {
			return in, fmt.Errorf("report %s: load narratives: %w", per.ID, err)
		}
	}
	if m.Models != nil {
		if in.models, err = m.Models.Models(ctx, per.ID, ids); err != nil {
			return in, fmt.Errorf("report %s: load models: %w", per.ID, err)
		}
		in.subs = m.withRegister(in)
	}
	return in, nil
}

func (m *Maker) formIDs() []string {
	out := make([]string, len(m.Forms))
	for i, f := range m.Forms {
		out[i] = f.ID
	}
	return out
}

// formTallies sums each form's submissions over the units, as the store's tallies would: the
// indicators and the annex's totals then always agree with the annex's rows.
func (m *Maker) formTallies(in reportInput) map[string]flows.Tally {
	out := make(map[string]flows.Tally, len(m.Forms))
	for _, f := range m.Forms {
		var t flows.Tally
		for _, u := range in.units {
			if s, ok := in.subs[flows.Key{Unit: u.ID, Period: in.per.ID, Form: f.ID}]; ok {
				t.Add(flows.Contribution(&s, m.Indicators, in.per.Due))
			}
		}
		out[f.ID] = t
	}
	return out
}

// indicatorRows evaluates each indicator the period measures, against the period before.
func (m *Maker) indicatorRows(in reportInput, cur map[string]flows.Tally) []IndicatorRow {
	var out []IndicatorRow
	for _, ind := range m.Indicators {
		f, ok := m.formOf(ind)
		if !ok || !flows.Measures(ind, f, in.per.Kind) {
			continue
		}
		t := cur[ind.Form]
		fig := flows.Evaluate(ind, t)
		row := IndicatorRow{ID: ind.ID, Name: ind.Name.In(reportLang), Target: flows.TargetText(ind, reportLang),
			Figure: fig, Value: "—", Basis: basisText(ind, t, reportLang), Judged: fig.OK && fig.HasTarget}
		if fig.OK {
			row.Value = figureText(fig.Value, fig.Percent)
		}
		if row.Judged {
			row.Verdict = fmText(reportLang, verdictKey(fig.Met))
		}
		if in.hasPrev && flows.Measures(ind, f, in.prev.Kind) {
			pf := flows.Evaluate(ind, m.sumTally(in.prevT, in.views, in.prev.ID, ind.Form))
			if pf.OK {
				row.Prev = figureText(pf.Value, pf.Percent)
				if fig.OK {
					row.Change = changeText(fig.Value-pf.Value, fig.Percent)
				}
			}
		}
		out = append(out, row)
	}
	return out
}

// sumTally adds up the tallies of the place views views of period's form, as loadReport read
// them for the period before.
func (m *Maker) sumTally(ts map[flows.TallyKey]flows.Tally, views []flows.View, period, form string) flows.Tally {
	var t flows.Tally
	for _, v := range views {
		for _, k := range m.tallyKeys(v, period, form) {
			t.Add(ts[k])
		}
	}
	return t
}

func verdictKey(met bool) string {
	if met {
		return "verdict_met"
	}
	return "verdict_missed"
}

// basisText writes the counts behind an indicator: "1.300 / 1.500" for a rate, "36 / 38 đơn vị"
// for a share of units, the sum over the reporting units for an average.
func basisText(ind flows.Indicator, t flows.Tally, lang flows.Lang) string {
	units := fmText(lang, "units")
	switch {
	case ind.IsRate():
		return flows.FormatNumberIn(t.Sums[ind.Num], lang) + " / " + flows.FormatNumberIn(t.Sums[ind.Den], lang)
	case ind.Share > 0:
		return fmt.Sprintf("%d / %d %s", t.Met[ind.ID], t.Reported, units)
	}
	return fmt.Sprintf("%s / %d %s", flows.FormatNumberIn(t.Sums[ind.Num], lang), t.Reported, units)
}

// figureText writes a share as a percent ("86,7%") and an average with one decimal ("1,5").
func figureText(v float64, percent bool) string {
	if percent {
		return flows.FormatPercent(v)
	}
	return decimalText(v)
}

// changeText writes a change with its sign: shares in percentage points ("+2,1"), "0" when
// it rounds to nothing.
func changeText(d float64, percent bool) string {
	if percent {
		d *= 100
	}
	s := decimalText(d)
	switch {
	case s == "0" || s == "-0":
		return "0"
	case d > 0:
		return "+" + s
	}
	return s
}

// decimalText writes v with at most one decimal and a decimal comma.
func decimalText(v float64) string {
	s := strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	return strings.Replace(s, ".", ",", 1)
}

// reportCompleteness counts who reported: per form, and per unit across the forms.
func (m *Maker) reportCompleteness(in reportInput) ReportCompleteness {
	c := ReportCompleteness{Units: len(in.units)}
	forms := m.askedForms(in.per)
	for _, f := range forms {
		fc := Completeness{Form: f.Title.In(reportLang), Units: len(in.units)}
		for _, u := range in.units {
			countForm(&fc, in.subs, flows.Key{Unit: u.ID, Period: in.per.ID, Form: f.ID}, in.per)
		}
		c.Forms = append(c.Forms, fc)
	}
	for _, u := range in.units {
		st := m.unitState(u, forms, in)
		switch {
		case st.done == len(forms):
			c.Reported++
			if st.late {
				c.Late++
			}
		case st.done > 0:
			c.Partial++
		default:
			c.Missing++
			c.MissingUnits = append(c.MissingUnits, u.Name.In(reportLang))
		}
		if st.returned > 0 {
			c.Returned++
		}
	}
	return c
}

// countForm adds one unit's submission of a form to fc.
func countForm(fc *Completeness, subs map[flows.Key]flows.Submission, k flows.Key, per flows.Period) {
	s, ok := subs[k]
	switch {
	case !ok:
		fc.Missing++
	case s.Returned != nil:
		fc.Return++
	default:
		fc.Reported++
		if s.Late(per.Due) {
			fc.Late++
		}
	}
}

// askedForms lists the forms that ask something in periods like per.
func (m *Maker) askedForms(per flows.Period) []flows.Form {
	var out []flows.Form
	for _, f := range m.Forms {
		if len(f.For(per.Kind)) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// unitState is where one unit stands across the forms: how many it reported (not returned),
// how many were returned, whether one came late.
type unitState struct {
	done, returned int
	late           bool
}

func (m *Maker) unitState(u flows.Node, forms []flows.Form, in reportInput) unitState {
	var st unitState
	for _, f := range forms {
		s, ok := in.subs[flows.Key{Unit: u.ID, Period: in.per.ID, Form: f.ID}]
		switch {
		case !ok:
		case s.Returned != nil:
			st.returned++
		default:
			st.done++
			st.late = st.late || s.Late(in.per.Due)
		}
	}
	return st
}

// reportNode is the place the report is about: the first view's node (the place of a unit),
// or the directory's single root for a view of everything.
func (m *Maker) reportNode(views []flows.View) ReportNode {
	id := views[0].Node
	if roots := m.Dir.Children(""); id == "" && len(roots) == 1 {
		id = roots[0]
	}
	n, ok := m.Dir.Node(id)
	if ok && n.IsUnit() {
		n, ok = m.Dir.Node(n.Parent)
	}
	if !ok {
		return ReportNode{Name: fmText(reportLang, "everywhere"), Root: true}
	}
	return ReportNode{ID: n.ID, Name: n.Name.In(reportLang), Root: n.Parent == ""}
}

// reportOrg is the organisation every view is limited to (a unit's view is limited to its
// own), zero when they are not all one.
func (m *Maker) reportOrg(views []flows.View) ReportOrg {
	org := func(v flows.View) string {
		if n, ok := m.Dir.Node(v.Node); ok && n.IsUnit() {
			return n.Org
		}
		return v.Org
	}
	for _, v := range views {
		if org(v) == "" || org(v) != org(views[0]) {
			return ReportOrg{}
		}
	}
	o, _ := m.Dir.Org(org(views[0]))
	return ReportOrg{ID: o.ID, Short: o.Short.In(reportLang), Name: o.Name.In(reportLang)}
}
