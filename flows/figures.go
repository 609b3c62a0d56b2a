package flows

import (
	"fmt"
	"strconv"
	"strings"
)

// IndicatorLines shows how one report's answers stand against the plan's targets, one line per
// indicator that form f measures in periods of kind k: "✅ 1.5 ...: 88,0% (mục tiêu > 85%)". A
// count with a Share across units is judged here as one unit: "(mục tiêu ≥ 1)".
func IndicatorLines(inds []Indicator, f Form, k PeriodKind, v map[string]int64, lang Lang) []string {
	var out []string
	for _, ind := range inds {
		if !Measures(ind, f, k) {
			continue
		}
		val, ok := ind.Value(v)
		shown := "—"
		if ok {
			shown = formatValue(ind, val, lang)
		}
		mark := "ℹ️"
		switch {
		case ind.Info:
		case !ok:
			mark = "▫️"
		case ind.Met(val):
			mark = "✅"
		default:
			mark = "⚠️"
		}
		out = append(out, fmt.Sprintf("%s %s %s: %s%s", mark, ind.ID, ind.Name.In(lang), shown, targetNote(ind.OneUnit(), lang)))
	}
	return out
}

// Measures reports whether ind is computed from questions form f asks in periods of kind k.
func Measures(ind Indicator, f Form, k PeriodKind) bool {
	if ind.Form != f.ID {
		return false
	}
	for _, id := range []string{ind.Num, ind.Den} {
		if id == "" {
			continue
		}
		if q, ok := f.Question(id); !ok || q.IsText() || !q.AppliesTo(k) {
			return false // a written answer is no figure
		}
	}
	return true
}

func formatValue(ind Indicator, val float64, lang Lang) string {
	if ind.IsRate() {
		return FormatPercentIn(val, lang)
	}
	return FormatNumberIn(int64(val), lang)
}

// targetNote is a target as a line shows it after the value: " (mục tiêu > 85%)", "" without one.
func targetNote(ind Indicator, lang Lang) string {
	if ind.Info {
		return ""
	}
	return T(lang, "target_note", TargetText(ind, lang))
}

// FormatPercent writes a share Vietnamese-style with one decimal: 0.8812 → "88,1%"; whole
// percentages lose the decimal: 0.85 → "85%".
func FormatPercent(share float64) string {
	s := strconv.FormatFloat(share*100, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + "%"
}

// FormatPercentIn writes a share for readers of lang: "88,1%" in Vietnamese, "88.1%" in English.
func FormatPercentIn(share float64, lang Lang) string {
	if lang == EN {
		return strings.Replace(FormatPercent(share), ",", ".", 1)
	}
	return FormatPercent(share)
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
