package flows

// Indicator is one target of section II.1 of the plan that a form's answers measure.
type Indicator struct {
	ID   string `yaml:"id" json:"id"` // "1.5"
	Name Text   `yaml:"name" json:"name"`
	Form string `yaml:"form" json:"form"`
	// Num and Den name questions: the indicator is Num ÷ Den. With Den empty it is a count.
	Num string `yaml:"num" json:"num"`
	Den string `yaml:"den,omitempty" json:"den,omitempty"`
	// Min and Max are the target: a rate above Min (0.85), or a count from Min to Max (1–2).
	Min float64 `yaml:"min" json:"min"`
	Max float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Info marks a figure shown without a target (petitions resolved ÷ received).
	Info bool `yaml:"info,omitempty" json:"info,omitempty"`
	// Share is, for a count, the target across units: the share of units that must reach Min–Max
	// on their own (0.95: "95% of units have a model"). Zero shows the average per unit instead.
	Share float64 `yaml:"share,omitempty" json:"share,omitempty"`
}

// IsRate reports whether ind is a ratio rather than a count.
func (ind Indicator) IsRate() bool { return ind.Den != "" }

// Value computes ind from a report's answers. ok is false when a figure is missing or the
// denominator is zero: such a value is shown as "—", never as NaN.
func (ind Indicator) Value(v map[string]int64) (val float64, ok bool) {
	n, has := v[ind.Num]
	if !has {
		return 0, false
	}
	if !ind.IsRate() {
		return float64(n), true
	}
	d, has := v[ind.Den]
	if !has || d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// Met reports whether val reaches the target of ind.
func (ind Indicator) Met(val float64) bool {
	if ind.IsRate() {
		return val > ind.Min
	}
	return val >= ind.Min && (ind.Max == 0 || val <= ind.Max)
}

// AggMet reports whether val, ind computed over the tally of many units, reaches the target: for
// a count with Share, val is the share of units that reach Min–Max and must be above Share ("> 95%
// of units"), exactly at it is not enough; otherwise the target is the one Met checks. The
// figures view and the files (charts, spreadsheets) both judge with it.
func AggMet(ind Indicator, val float64) bool {
	if !ind.IsRate() && ind.Share > 0 {
		return val > ind.Share
	}
	return ind.Met(val)
}

// OneUnit is ind as one unit's report is judged: a count's Share is a target across units only.
func (ind Indicator) OneUnit() Indicator {
	ind.Share = 0
	return ind
}
