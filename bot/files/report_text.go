package files

import (
	"fmt"
	"strings"
	"text/template"

	"danvan/flows"
)

// templateFuncs are the functions a report template may call: case changes for names
// ("ĐẢNG ỦY {{upper .Node.Name}}", "{{lowerFirst .Period.Name}}") and Vietnamese numbers.
var templateFuncs = template.FuncMap{
	"upper":      strings.ToUpper,
	"lower":      strings.ToLower,
	"upperFirst": upperFirst,
	"lowerFirst": lowerFirst,
	"num":        num,
	"pct":        flows.FormatPercent,
	"join":       strings.Join,
}

// lowerFirst lowers the first letter of s: "Quý I" → "quý I", "Xã San Thàng" → "xã San Thàng".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// num writes a whole number Vietnamese-style: 1300 → "1.300".
func num(v any) (string, error) {
	switch n := v.(type) {
	case int:
		return flows.FormatNumber(int64(n)), nil
	case int64:
		return flows.FormatNumber(n), nil
	}
	return "", fmt.Errorf("num: %v is not a whole number", v)
}

// sampleReport has something in every field a template may read, so ParseReport can run a
// template once before anyone asks for a report.
func sampleReport() Report {
	row := IndicatorRow{ID: "1.5", Name: "Tỷ lệ", Target: "> 85%", Value: "86%", Basis: "86 / 100", Prev: "85%",
		Change: "+1", Verdict: "Đạt", Judged: true}
	group := AnnexGroup{Label: "Xã", Rows: []AnnexRow{{Label: "Đơn vị", Cells: []string{"1"}, Status: "x"}},
		Total: AnnexRow{Label: "Xã", Cells: []string{"1"}}}
	byField := ModelsByField{Field: "Lĩnh vực", Registered: 2, Recognised: 1, Units: 1}
	texts := []Attributed{{Unit: "Đơn vị", Text: "Nội dung"}}
	return Report{
		Year:         2026,
		Period:       ReportPeriod{ID: "2026-Q1", Kind: "Q1", Name: "Quý I", Year: 2026, Label: "Quý I năm 2026", Prev: "Năm 2025"},
		Node:         ReportNode{ID: "x", Name: "Xã", Root: true},
		Org:          ReportOrg{ID: "o", Short: "Hội", Name: "Hội"},
		Scope:        "Xã",
		Indicators:   []IndicatorRow{row},
		Met:          []IndicatorRow{row},
		Missed:       []IndicatorRow{row},
		Completeness: ReportCompleteness{Units: 2, Reported: 1, Missing: 1, Forms: []Completeness{{Form: "Biểu", Units: 2}}, MissingUnits: []string{"Đơn vị"}},
		HasRegister:  true,
		Models:       []ModelsByField{byField},
		ModelTotal:   byField,
		Narratives:   map[string][]Attributed{"results": texts, "shortcomings": texts, "proposals": texts},
		AnnexColumns: []string{"Số"},
		Places:       []AnnexGroup{group},
		Orgs:         []AnnexGroup{group},
		Total:        group.Total,
	}
}

// ReportText is the report as a few lines of text, for a channel that cannot send the file:
// what it is about, who reported, and each indicator against its target.
func ReportText(r Report) string {
	lines := []string{strings.TrimSpace(r.Title + " " + r.Subject), r.Scope, "",
		fmText(reportLang, "txt_done", r.Completeness.Reported, r.Completeness.Units)}
	for _, row := range r.Indicators {
		s := row.ID + " " + row.Name + ": " + row.Value
		if row.Target != "" {
			s += " (" + fmText(reportLang, "target", row.Target) + ")"
		}
		if row.Verdict != "" {
			s += " — " + row.Verdict
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}
