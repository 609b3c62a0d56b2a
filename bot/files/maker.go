package files

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"danvan/flows"
)

// FigureSource is what Maker reads from the store: aggregates for charts, the units'
// submissions and the people who sent them for spreadsheets.
type FigureSource interface {
	// Tallies returns the aggregates keys name; a key with nothing reported may be missing.
	Tallies(ctx context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error)
	// Submissions returns the current submission of each unit × form of period that has one.
	Submissions(ctx context.Context, period string, units []string, forms []string) (map[flows.Key]flows.Submission, error)
	// People returns the people with ids; unknown ids are missing.
	People(ctx context.Context, ids []string) (map[string]flows.Person, error)
}

// ErrOutOfScope is returned for a file about a place or organisation the person may not see.
var ErrOutOfScope = errors.New("outside the person's scope")

// Maker renders the charts, spreadsheets and report drafts flows asks for (flows.Attachment).
// It satisfies the dispatcher's Files port: File(ctx, person, attachment, lang).
type Maker struct {
	Source     FigureSource
	Dir        *flows.Directory
	Forms      []flows.Form
	Calendar   flows.Calendar
	Indicators []flows.Indicator
	// Report is the written report's template (ParseReport of the file main reads): the words
	// of the .docx draft and the issuing body at the top of a workbook. Nil makes no draft.
	Report *ReportTemplate
	// Narratives and Models are the sources of the organisers' written answers and of the
	// "Dân vận khéo" register; nil while there are none.
	Narratives NarrativeSource
	Models     ModelSource
	// Tenants, when set, give each file its tenant's calendar and the targets of the plan the
	// tenant follows in the file's year (the tenant of the file's first view, the default one
	// for the whole directory) in place of Calendar and Indicators; Reports its own report
	// template, by tenant id, in place of Report.
	Tenants *flows.Tenancy
	Reports map[string]*ReportTemplate
}

// File renders attachment a for p in lang (a report draft is in Vietnamese whatever lang: it is
// a Party document). It narrows the request to p's scope again (the attachment came through a
// chat and may be forged) before it loads anything.
func (m *Maker) File(ctx context.Context, p flows.Person, a flows.Attachment, lang flows.Lang) (flows.File, error) {
	per, ok := m.Calendar.Period(a.Period)
	if !ok {
		return flows.File{}, fmt.Errorf("file %s: unknown period %q", a.Kind, a.Period)
	}
	views := flows.Narrow(p, m.Dir, flows.View{Node: a.Node, Org: a.Org})
	if len(views) == 0 {
		return flows.File{}, fmt.Errorf("file %s for %s: node %q org %q: %w", a.Kind, p.ID, a.Node, a.Org, ErrOutOfScope)
	}
	// The rows and bars are the units and places of the period (in force on its due day): a
	// file of a period before a merger shows the units merged away, one after it the new ones.
	in := m.forTenant(views[0].Node, &per)
	in.Dir = m.Dir.In(per)
	m = &in
	switch a.Kind {
	case flows.ChartFile:
		return m.chart(ctx, per, views, a, lang)
	case flows.SheetFile, flows.CSVFile, flows.CSVSemiFile:
		return m.sheet(ctx, per, views, a.Kind, lang)
	case flows.DocFile:
		return m.report(ctx, per, views)
	}
	return flows.File{}, fmt.Errorf("file: unknown kind %q", a.Kind)
}

// forTenant returns m with the settings of node's tenant, and per as that tenant's calendar
// has it; m itself without Tenants.
func (m *Maker) forTenant(node string, per *flows.Period) Maker {
	in := *m
	if m.Tenants == nil {
		return in
	}
	t, ok := m.Tenants.Of(node)
	if !ok {
		t = m.Tenants.Default()
	}
	in.Calendar = t.Calendar
	if p, ok := t.Calendar.Period(per.ID); ok {
		*per = p
	}
	in.Indicators = t.Indicators(*per)
	if r := m.Reports[t.ID]; r != nil {
		in.Report = r
	}
	return in
}

// viewLabel names what views cover: "Hội LHPN · Thành phố Lai Châu".
func viewLabel(dir *flows.Directory, views []flows.View, lang flows.Lang) string {
	var parts []string
	for _, v := range views {
		s := fmText(lang, "everywhere")
		if v.Node != "" {
			s = dir.Label(v.Node, lang)
		}
		if o, ok := dir.Org(v.Org); ok {
			if n, ok := dir.Node(v.Node); !ok || !n.IsUnit() {
				s = o.Short.In(lang) + " · " + s
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// indicator returns the indicator with id.
func (m *Maker) indicator(id string) (flows.Indicator, bool) {
	i := slices.IndexFunc(m.Indicators, func(ind flows.Indicator) bool { return ind.ID == id })
	if i < 0 {
		return flows.Indicator{}, false
	}
	return m.Indicators[i], true
}

// submitters lists the people who sent subs, each once, sorted. A set, not a search of the
// list so far: with an organiser per unit a city's 20,000 submissions have 10,000 senders.
func submitters(subs map[flows.Key]flows.Submission) []string {
	seen := make(map[string]bool, len(subs))
	var out []string
	for _, s := range subs {
		if s.By != "" && !seen[s.By] {
			seen[s.By] = true
			out = append(out, s.By)
		}
	}
	slices.Sort(out)
	return out
}

// formOf returns the form ind is computed from.
func (m *Maker) formOf(ind flows.Indicator) (flows.Form, bool) {
	for _, f := range m.Forms {
		if f.ID == ind.Form {
			return f, true
		}
	}
	return flows.Form{}, false
}
