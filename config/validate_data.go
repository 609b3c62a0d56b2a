package config

import (
	"fmt"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"

	"danvan/flows"
)

// Ids go into Redis keys, Cluster hash tags and button callback data (64 bytes at most), where
// ':' '{' '}' and spaces are separators: keep them short and plain.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// maxShort keeps an organisation's short name on one phone button.
const maxShort = 24

// id checks the id at path: well formed and not in seen; it records it.
func (k *checker) id(path, id string, seen map[string]bool) {
	switch {
	case id == "":
		k.add(path, "is required")
	case !idPattern.MatchString(id):
		k.add(path, "%q: an id is 1–40 letters, digits, _ . - (no spaces or accents)", id)
	case seen[id]:
		k.add(path, "duplicate id %q", id)
	}
	seen[id] = true
}

func (k *checker) text(path string, t flows.Text) {
	if t.Vi == "" {
		k.add(path+".vi", "the Vietnamese text is required")
	}
}

func (k *checker) directory() {
	before := len(k.errs)
	orgs := map[string]bool{}
	if len(k.c.Orgs) == 0 {
		k.add("orgs", "at least one organisation is required")
	}
	for i, o := range k.c.Orgs {
		p := fmt.Sprintf("orgs[%d]", i)
		k.id(p+".id", o.ID, orgs)
		k.text(p+".name", o.Name)
		k.text(p+".short", o.Short)
		if n := max(utf8.RuneCountInString(o.Short.Vi), utf8.RuneCountInString(o.Short.En)); n > maxShort {
			k.add(p+".short", "is %d characters; keep it to %d so it fits on a button", n, maxShort)
		}
	}
	k.units(orgs)
	if len(k.errs) > before {
		return
	}
	// flows has the last word on what a directory is.
	if _, err := flows.NewDirectory(k.c.Orgs, k.c.Units); err != nil {
		k.add("units", "%v", err)
	}
}

func (k *checker) units(orgs map[string]bool) {
	nodes, index := map[string]bool{}, map[string]int{}
	reporting := 0
	for i, n := range k.c.Units {
		p := fmt.Sprintf("units[%d]", i)
		k.id(p+".id", n.ID, nodes)
		k.text(p+".name", n.Name)
		if n.Org != "" && !orgs[n.Org] {
			k.add(p+".org", "%q names no organisation in orgs", n.Org)
		}
		if n.IsUnit() {
			reporting++
		}
		index[n.ID] = i
	}
	if reporting == 0 {
		k.add("units", "no reporting unit (an entry with org set)")
	}
	k.history(index)
	for i, n := range k.c.Units {
		p := fmt.Sprintf("units[%d].parent", i)
		j, ok := index[n.Parent]
		switch {
		case n.Parent == "":
		case !ok:
			k.add(p, "%q names no entry of units", n.Parent)
		case k.c.Units[j].IsUnit():
			k.add(p, "%q is a unit (it has an org); a parent must be a place", n.Parent)
		case k.ancestorOfItself(n.ID, index):
			k.add(p, "%q leads back to %q: the places form a loop", n.Parent, n.ID)
		}
	}
}

func (k *checker) ancestorOfItself(id string, index map[string]int) bool {
	seen := map[string]bool{}
	for cur := id; cur != ""; {
		if seen[cur] {
			return cur == id
		}
		seen[cur] = true
		i, ok := index[cur]
		if !ok {
			return false
		}
		cur = k.c.Units[i].Parent
	}
	return false
}

// calendar checks the periods and returns the kinds it defines.
func (k *checker) calendar() map[flows.PeriodKind]bool { return k.periods("calendar", k.c.Calendar) }

// periods checks the calendar at path and returns the kinds it defines.
func (k *checker) periods(path string, cal []PeriodConfig) map[flows.PeriodKind]bool {
	kinds := map[flows.PeriodKind]bool{}
	if len(cal) == 0 {
		k.add(path, "at least one period is required")
	}
	for i, pc := range cal {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch pc.Kind {
		case flows.Q1, flows.H1, flows.Q3, flows.Year:
			if kinds[pc.Kind] {
				k.add(p+".kind", "%s appears twice", pc.Kind)
			}
			kinds[pc.Kind] = true
		default:
			k.add(p+".kind", "%q: want Q1, H1, Q3 or Y", pc.Kind)
		}
		k.text(p+".name", pc.Name)
		k.due(p+".due", pc.Due)
		if pc.OpenDays < 0 || pc.CloseDays < 0 {
			k.add(p+".open_days", "open_days %d and close_days %d must be ≥ 0", pc.OpenDays, pc.CloseDays)
		} else if pc.OpenDays+pc.CloseDays >= 365 {
			// A longer window would overlap the same period of the next year.
			k.add(p+".close_days", "open_days + close_days = %d; keep it under 365", pc.OpenDays+pc.CloseDays)
		}
	}
	return kinds
}

// due checks a "dd/mm" that exists every year: 31/04 and 29/02 are refused, since Go would
// silently move them into the next month.
func (k *checker) due(path, s string) {
	md, err := flows.ParseMonthDay(s)
	if err != nil {
		k.add(path, "%v", err)
		return
	}
	if t := time.Date(2023, md.Month, md.Day, 0, 0, 0, 0, time.UTC); t.Day() != md.Day {
		k.add(path, "%q does not exist every year", s)
	}
}

func (k *checker) forms(kinds map[flows.PeriodKind]bool) {
	if len(k.c.Forms) == 0 {
		k.add("forms", "at least one form is required")
	}
	seen := map[string]bool{}
	for i, f := range k.c.Forms {
		p := fmt.Sprintf("forms[%d]", i)
		before := len(k.errs)
		k.id(p+".id", f.ID, seen)
		k.text(p+".title", f.Title)
		if len(f.Questions) == 0 {
			k.add(p+".questions", "a form needs at least one question")
		}
		fc := formCheck{form: f, kinds: kinds, asked: map[string]int{}, ids: map[string]bool{}}
		for j, q := range f.Questions {
			k.question(fmt.Sprintf("%s.questions[%d]", p, j), q, fc)
			fc.asked[q.ID] = j
		}
		if len(k.errs) > before {
			continue
		}
		// flows has the last word on what a form is.
		if err := f.Validate(); err != nil {
			k.add(p, "%v", err)
		}
	}
}

// formCheck is what the questions of one form are checked against.
type formCheck struct {
	form  flows.Form
	kinds map[flows.PeriodKind]bool // periods of the calendar
	asked map[string]int            // earlier questions: id → index
	ids   map[string]bool
}

func (k *checker) question(p string, q flows.Question, fc formCheck) {
	k.id(p+".id", q.ID, fc.ids)
	k.text(p+".label", q.Label)
	k.questionType(p, q)
	switch {
	case q.Min < 0:
		k.add(p+".min", "%d is negative; answers are whole numbers ≥ 0", q.Min)
	case q.Max < 0:
		k.add(p+".max", "%d is negative; 0 means the default limit %d", q.Max, flows.MaxNumber)
	case q.Max > 0 && q.Min > q.Max:
		k.add(p+".max", "%d is below min %d", q.Max, q.Min)
	}
	if q.SoftChange < 0 {
		k.add(p+".soft_change", "%v is negative; 0.5 means a change of more than 50%% is shown back", q.SoftChange)
	}
	for j, kind := range q.Periods {
		if !fc.kinds[kind] {
			k.add(fmt.Sprintf("%s.periods[%d]", p, j), "%q is not a period of the calendar", kind)
		}
	}
	k.le(p+".le", q, fc)
}

// le checks that q.LE names an earlier question asked whenever q is.
func (k *checker) le(p string, q flows.Question, fc formCheck) {
	if q.LE == "" {
		return
	}
	j, ok := fc.asked[q.LE]
	if !ok {
		k.add(p, "%q names no earlier question", q.LE)
		return
	}
	for _, kind := range periodsOf(q) {
		if !fc.form.Questions[j].AppliesTo(kind) {
			k.add(p, "%q is not asked in period %s, when this question is", q.LE, kind)
			return
		}
	}
}

func periodsOf(q flows.Question) []flows.PeriodKind {
	if len(q.Periods) == 0 {
		return []flows.PeriodKind{flows.Q1, flows.H1, flows.Q3, flows.Year}
	}
	return q.Periods
}

func (k *checker) targets() {
	if len(k.c.Plans) == 0 {
		k.targetList("targets", k.c.Targets)
	}
}

// targetList checks the targets at path.
func (k *checker) targetList(path string, targets []flows.Indicator) {
	seen := map[string]bool{}
	for i, ind := range targets {
		p := fmt.Sprintf("%s[%d]", path, i)
		k.id(p+".id", ind.ID, seen)
		k.text(p+".name", ind.Name)
		fi := slices.IndexFunc(k.c.Forms, func(f flows.Form) bool { return f.ID == ind.Form })
		if fi < 0 {
			k.add(p+".form", "%q names no form", ind.Form)
		} else {
			k.targetFields(p, ind, k.c.Forms[fi])
		}
		k.targetRange(p, ind)
	}
}

func (k *checker) targetFields(p string, ind flows.Indicator, f flows.Form) {
	num, ok := f.Question(ind.Num)
	if !ok {
		k.add(p+".num", "%q names no question of form %s", ind.Num, f.ID)
	} else if num.IsText() {
		k.add(p+".num", "%q is a text question; an indicator is computed from figures", ind.Num)
	}
	if ind.Den == "" {
		return
	}
	den, ok2 := f.Question(ind.Den)
	if !ok2 {
		k.add(p+".den", "%q names no question of form %s", ind.Den, f.ID)
		return
	}
	if den.IsText() {
		k.add(p+".den", "%q is a text question; an indicator is computed from figures", ind.Den)
		return
	}
	for _, kind := range periodsOf(num) {
		if ok && !den.AppliesTo(kind) {
			k.add(p+".den", "%q is not asked in period %s, when %s is", ind.Den, kind, ind.Num)
			return
		}
	}
}

func (k *checker) targetRange(p string, ind flows.Indicator) {
	switch {
	case ind.Min < 0:
		k.add(p+".min", "%v is negative", ind.Min)
	case ind.IsRate() && ind.Max != 0:
		k.add(p+".max", "applies to counts only; a rate has a min such as 0.85")
	case ind.IsRate() && ind.Min > 1:
		k.add(p+".min", "%v: a rate's target is a share from 0 to 1 (0.85 for 85%%)", ind.Min)
	case !ind.IsRate() && ind.Max != 0 && ind.Max < ind.Min:
		k.add(p+".max", "%v is below min %v", ind.Max, ind.Min)
	}
}
