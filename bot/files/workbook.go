package files

import (
	"context"
	"fmt"
	"strings"
	"time"

	"danvan/flows"
)

// Workbook is one period's figures laid out as tables, in one language: the summary and a table
// per form with a row per unit. RenderXLSX and RenderCSV write it.
type Workbook struct {
	// Issuer names the body that files it, its superior first ("TỈNH ỦY LAI CHÂU", "BAN TUYÊN
	// GIÁO VÀ DÂN VẬN"), as the report template says; empty without a template.
	Issuer       []string
	Title        string
	Scope        string
	Summary      []SummaryRow
	Completeness []Completeness
	Tables       []Table
	Lang         flows.Lang
}

// SummaryRow is one indicator against its target.
type SummaryRow struct {
	ID, Name string
	Figure   flows.Figure
	Target   string // flows.TargetText: "> 85%", "> 95% đơn vị đạt ≥ 1", "" for a figure without target
	Status   string // ✅, ⚠️, ℹ️, or "—" when there is nothing to compute: for text
	// Verdict is the status as a file writes it: "Đạt", "Chưa đạt", "—" when there is nothing
	// to compute, "" for a figure without target.
	Verdict string
	Basis   string // the totals behind the value: "1.234 / 1.450"
}

// Completeness is how many units reported one form.
type Completeness struct {
	Form                                   string
	Units, Reported, Late, Missing, Return int
}

// Table is the rows of one form: Headers are the place, organisation and unit, then Questions
// figures, Rates derived rates, then the status columns (see Row).
type Table struct {
	FormID    string
	Name      string // the form's title, used for the sheet's name
	Headers   []string
	Questions int
	Rates     int
	// RateOf holds, per rate column, the indexes in Row.Values of its numerator and
	// denominator, so a total row can divide its own sums.
	RateOf [][2]int
	Rows   []Row
}

// Row is one unit's line in a form's table. Has and RateOK tell a value from an empty cell.
type Row struct {
	PlaceID          string // the place's id: rows of one place are grouped under a subtotal
	Place, Org, Unit string
	Values           []int64
	Has              []bool
	Rates            []float64
	RateOK           []bool
	Status           string
	By               string
	At               time.Time // zero when nothing was submitted; local wall time of the calendar
	Version          int
	Ref              string
	Reason           string // why it was returned
}

// statusCols is the number of columns after the rates: status, by, at, version, ref, reason.
const statusCols = 6

// sheet loads the period's submissions for views and renders the workbook as XLSX or CSV.
func (m *Maker) sheet(ctx context.Context, per flows.Period, views []flows.View, kind flows.AttachKind, lang flows.Lang) (flows.File, error) {
	wb, err := m.workbook(ctx, per, views, lang)
	if err != nil {
		return flows.File{}, err
	}
	if kind == flows.CSVFile || kind == flows.CSVSemiFile {
		sep := ','
		if kind == flows.CSVSemiFile {
			sep = ';'
		}
		data, err := RenderCSV(wb, sep)
		if err != nil {
			return flows.File{}, err
		}
		return flows.File{Name: "bao-cao-" + per.ID + "-csv.zip", Kind: flows.Document, MIME: "application/zip",
			Data: data, Text: WorkbookText(wb)}, nil
	}
	data, err := RenderXLSX(wb)
	if err != nil {
		return flows.File{}, err
	}
	return flows.File{Name: "bao-cao-" + per.ID + ".xlsx", Kind: flows.Document,
		MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: data, Text: WorkbookText(wb)}, nil
}

// WorkbookText summarises wb as text, for a channel that cannot send the file: a line per form
// on how many units reported and a line per indicator of the summary sheet. The transport says
// why the file comes as text.
func WorkbookText(wb Workbook) string {
	l := wb.Lang
	lines := make([]string, 0, len(wb.Completeness)+len(wb.Summary)+2)
	for _, c := range wb.Completeness {
		lines = append(lines, fmText(l, "txt_form", c.Form, c.Reported, c.Units, c.Late, c.Missing, c.Return))
	}
	lines = append(lines, "")
	for _, r := range wb.Summary {
		lines = append(lines, summaryText(r, l))
	}
	return strings.Join(lines, "\n")
}

// summaryText is one indicator's line: "1.5 Tỷ lệ tập hợp: 86,7% ✅ (Mục tiêu > 85%)".
func summaryText(r SummaryRow, lang flows.Lang) string {
	v := "—"
	if r.Figure.OK {
		v = chartValue(r.Figure.Value, r.Figure.Percent, lang)
	}
	s := r.ID + " " + r.Name + ": " + v
	if r.Status != "—" {
		s += " " + r.Status
	}
	if r.Target != "" {
		s += " (" + fmText(lang, "target", r.Target) + ")"
	}
	return s
}

// workbook builds the Workbook of per over views, in three round trips: submissions, people
// (for their names) and nothing else — the summary is summed from the same submissions, so it
// always agrees with the rows.
func (m *Maker) workbook(ctx context.Context, per flows.Period, views []flows.View, lang flows.Lang) (Workbook, error) {
	units := m.Dir.ViewUnits(views...)
	ids := make([]string, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	forms := make([]string, len(m.Forms))
	for i, f := range m.Forms {
		forms[i] = f.ID
	}
	subs, err := m.Source.Submissions(ctx, per.ID, ids, forms)
	if err != nil {
		return Workbook{}, fmt.Errorf("workbook %s: load submissions: %w", per.ID, err)
	}
	people, err := m.Source.People(ctx, submitters(subs))
	if err != nil {
		return Workbook{}, fmt.Errorf("workbook %s: load people: %w", per.ID, err)
	}
	wb := Workbook{
		Title: fmText(lang, "sum_title", per.Label(lang), viewLabel(m.Dir, views, lang)),
		Scope: viewLabel(m.Dir, views, lang), Lang: lang,
	}
	if m.Report != nil {
		if wb.Issuer, err = m.Report.IssuerLines(Report{Node: m.reportNode(views), Org: m.reportOrg(views)}); err != nil {
			return Workbook{}, fmt.Errorf("workbook %s: issuer: %w", per.ID, err)
		}
	}
	tallies := map[string]flows.Tally{}
	for _, f := range m.Forms {
		t, c := m.formTable(f, per, units, subs, people, lang)
		wb.Tables = append(wb.Tables, t)
		wb.Completeness = append(wb.Completeness, c)
		var sum flows.Tally
		for _, u := range units {
			if sub, ok := subs[flows.Key{Unit: u.ID, Period: per.ID, Form: f.ID}]; ok {
				sum.Add(flows.Contribution(&sub, m.Indicators, per.Due))
			}
		}
		tallies[f.ID] = sum
	}
	for _, ind := range m.Indicators {
		if f, ok := m.formOf(ind); ok && flows.Measures(ind, f, per.Kind) {
			wb.Summary = append(wb.Summary, summaryRow(ind, tallies[ind.Form], lang))
		}
	}
	return wb, nil
}

// formTable lays out form f's rows and counts its completeness.
func (m *Maker) formTable(f flows.Form, per flows.Period, units []flows.Node, subs map[flows.Key]flows.Submission,
	people map[string]flows.Person, lang flows.Lang) (Table, Completeness) {
	qs := f.Figures(per.Kind) // written answers are the report's, not the workbook's
	var rates []flows.Indicator
	for _, ind := range m.Indicators {
		if ind.Form == f.ID && ind.IsRate() && flows.Measures(ind, f, per.Kind) {
			rates = append(rates, ind)
		}
	}
	t := Table{FormID: f.ID, Name: f.Title.In(lang), Questions: len(qs), Rates: len(rates), Rows: make([]Row, 0, len(units))}
	for _, ind := range rates {
		t.RateOf = append(t.RateOf, [2]int{questionIndex(qs, ind.Num), questionIndex(qs, ind.Den)})
	}
	t.Headers = []string{fmText(lang, "col_place"), fmText(lang, "col_org"), fmText(lang, "col_unit")}
	for _, q := range qs {
		t.Headers = append(t.Headers, q.Label.In(lang))
	}
	for _, ind := range rates {
		t.Headers = append(t.Headers, ind.ID+" "+ind.Name.In(lang))
	}
	for _, k := range []string{"col_status", "col_by", "col_at", "col_ver", "col_ref", "col_reason"} {
		t.Headers = append(t.Headers, fmText(lang, k))
	}
	c := Completeness{Form: f.Title.In(lang), Units: len(units)}
	for _, u := range units {
		k := flows.Key{Unit: u.ID, Period: per.ID, Form: f.ID}
		sub, ok := subs[k]
		var sp *flows.Submission
		if ok {
			sp = &sub
		}
		t.Rows = append(t.Rows, m.unitRow(u, qs, rates, sp, per, people, lang))
		countForm(&c, subs, k, per)
	}
	return t, c
}

// unitRow is one unit's row; s is nil when it has not submitted.
func (m *Maker) unitRow(u flows.Node, qs []flows.Question, rates []flows.Indicator, s *flows.Submission,
	per flows.Period, people map[string]flows.Person, lang flows.Lang) Row {
	dir := m.Dir
	r := Row{PlaceID: u.Parent, Place: dir.Label(u.Parent, lang), Unit: u.Name.In(lang), Status: fmText(lang, "st_missing"),
		Values: make([]int64, len(qs)), Has: make([]bool, len(qs)),
		Rates: make([]float64, len(rates)), RateOK: make([]bool, len(rates))}
	if o, ok := dir.Org(u.Org); ok {
		r.Org = o.Short.In(lang)
	}
	if s == nil {
		return r
	}
	for i, q := range qs {
		r.Values[i], r.Has[i] = s.Values[q.ID]
	}
	for i, ind := range rates {
		r.Rates[i], r.RateOK[i] = ind.Value(s.Values)
	}
	r.By = s.By
	if p, ok := people[s.By]; ok && p.Name != "" {
		r.By = p.Name
	}
	r.At, r.Version, r.Ref = wallClock(s.At, m.Calendar.Loc), s.Version, s.Ref
	switch {
	case s.Returned != nil:
		r.Status, r.Reason = fmText(lang, "st_return"), s.Returned.Reason
	case s.Late(per.Due):
		r.Status = fmText(lang, "st_late")
	default:
		r.Status = fmText(lang, "st_ontime")
	}
	return r
}

// wallClock is t as read on a clock in loc, labelled UTC: spreadsheets have no time zones and
// show a date cell's wall time as is.
func wallClock(t time.Time, loc *time.Location) time.Time {
	if loc != nil {
		t = t.In(loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// summaryRow evaluates ind over the form's sum t.
func summaryRow(ind flows.Indicator, t flows.Tally, lang flows.Lang) SummaryRow {
	f := flows.Evaluate(ind, t)
	r := SummaryRow{ID: ind.ID, Name: ind.Name.In(lang), Figure: f, Status: "ℹ️"}
	switch {
	case ind.Info:
	case !f.OK:
		r.Status, r.Verdict = "—", "—"
	case f.Met:
		r.Status, r.Verdict = "✅", fmText(lang, "verdict_met")
	default:
		r.Status, r.Verdict = "⚠️", fmText(lang, "verdict_missed")
	}
	r.Target = flows.TargetText(ind, lang)
	r.Basis = basisText(ind, t, lang)
	return r
}

// questionIndex returns the index of the question with id in qs, -1 when it is not there.
func questionIndex(qs []flows.Question, id string) int {
	for i, q := range qs {
		if q.ID == id {
			return i
		}
	}
	return -1
}
