package flows

import "testing"

// TestExportFormats: /export reads its format off the front of the arguments, the
// semicolon-separated CSV in each way people write it, and leaves the rest for the period.
func TestExportFormats(t *testing.T) {
	tests := []struct {
		args   string
		kind   AttachKind
		period string
	}{
		{"", SheetFile, "2026-Q1"},
		{"năm 2025", SheetFile, "2025-Y"},
		{"xlsx q1", SheetFile, "2026-Q1"},
		{"csv", CSVFile, "2026-Q1"},
		{"CSV năm 2025", CSVFile, "2025-Y"},
		{"csv;", CSVSemiFile, "2026-Q1"},
		{"csv; năm 2025", CSVSemiFile, "2025-Y"},
		{"csv ; q1", CSVSemiFile, "2026-Q1"},
		{"csv semicolon", CSVSemiFile, "2026-Q1"},
		{"csv chấm phẩy năm 2025", CSVSemiFile, "2025-Y"},
	}
	for _, tt := range tests {
		w := leaderWorld(t)
		_, replies, _, _ := stepAs(w, roles["city"], State{}, Input{Kind: CommandInput, Command: "export", Args: tt.args})
		var a *Attachment
		for _, r := range replies {
			if r.Attach != nil {
				a = r.Attach
			}
		}
		if a == nil {
			t.Errorf("/export %s: got %q, want an attachment", tt.args, allText(replies))
			continue
		}
		if a.Kind != tt.kind || a.Period != tt.period || a.Node != "laichau" {
			t.Errorf("/export %s: got %s %s %s, want %s %s laichau", tt.args, a.Kind, a.Period, a.Node, tt.kind, tt.period)
		}
	}
}
