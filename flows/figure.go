package flows

import "strings"

// Figure is an indicator evaluated over the tally of many units: what a figures view, a chart's
// bar and a spreadsheet's summary row show.
type Figure struct {
	// Value is a share (0.88) when Percent is set, else an average per reporting unit.
	Value float64
	// OK is false when there is nothing to divide by: shown "—", never 0 or NaN.
	OK bool
	// Met reports whether Value reaches the target (AggMet); never set without a target.
	Met bool
	// Target is the number Value is judged against, in Value's unit: a rate's Min, the Share of
	// units a count needs, or an average's Min. HasTarget is false for a figure shown without.
	Target    float64
	HasTarget bool
	Percent   bool
}

// Evaluate computes ind over t, the one way every view does: a rate is Sums[Num] ÷ Sums[Den]; a
// count with Share is the share of reporting units that reach Min–Max on their own; a count
// without it is the average per reporting unit against Min–Max. Nothing reported, or a zero
// denominator, gives a Figure without OK.
func Evaluate(ind Indicator, t Tally) Figure {
	f := Figure{HasTarget: !ind.Info, Target: ind.Min, Percent: ind.IsRate() || ind.Share > 0}
	switch {
	case t.Reported <= 0:
	case ind.IsRate():
		if d := t.Sums[ind.Den]; d != 0 {
			f.Value, f.OK = float64(t.Sums[ind.Num])/float64(d), true
		}
	case ind.Share > 0:
		f.Value, f.OK = float64(t.Met[ind.ID])/float64(t.Reported), true
	default:
		f.Value, f.OK = float64(t.Sums[ind.Num])/float64(t.Reported), true
	}
	if !ind.IsRate() && ind.Share > 0 {
		f.Target = ind.Share
	}
	f.Met = f.OK && f.HasTarget && AggMet(ind, f.Value)
	return f
}

func init() {
	addTexts(map[string]Text{
		"target_share": {Vi: "> %s đơn vị đạt %s", En: "> %s of units reach %s"},
		"target_note":  {Vi: " (mục tiêu %s)", En: " (target %s)"},
	})
}

// TargetText writes the target of ind, the same wherever it is shown (a figures view, a chart's
// legend, a spreadsheet): "> 85%" for a rate, "1–2" or "≥ 1" for a count, "> 95% đơn vị đạt ≥ 1"
// for a count judged by the share of units that reach it, "" for a figure without target. It
// is the target Evaluate judges against; one unit's report is judged against
// TargetText(ind.OneUnit(), lang).
func TargetText(ind Indicator, lang Lang) string {
	switch {
	case ind.Info:
		return ""
	case ind.IsRate():
		return "> " + FormatPercentIn(ind.Min, lang)
	case ind.Share > 0:
		return T(lang, "target_share", FormatPercentIn(ind.Share, lang), TargetText(ind.OneUnit(), lang))
	case ind.Max > 0:
		return decimal(ind.Min, lang) + "–" + decimal(ind.Max, lang)
	}
	return "≥ " + decimal(ind.Min, lang)
}

// decimal writes f in full for readers of lang: 1 → "1", 1.5 → "1,5" (Vietnamese), "1.5" (English).
func decimal(f float64, lang Lang) string {
	if lang == EN {
		return trimFloat(f)
	}
	return strings.Replace(trimFloat(f), ".", ",", 1)
}
