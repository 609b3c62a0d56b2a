package flows

import (
	"strings"
	"time"
)

func (t *turn) help() {
	t.say(Help(t.env.Person, t.env.Dir, t.lang))
}

// Help is what a known person reads on /start and /help: the commands their roles allow and
// the units they report for.
func Help(p Person, dir *Directory, lang Lang) string {
	name := p.Name
	if name == "" {
		name = map[Lang]string{VI: "bạn", EN: "there"}[lang]
	}
	parts := []string{T(lang, "welcome", name), T(lang, "help_org")}
	if p.Admin {
		parts = append(parts, T(lang, "help_admin"))
	}
	if len(p.Scopes) > 0 {
		parts = append(parts, T(lang, "help_leader"))
	}
	if len(p.Units) > 0 {
		labels := make([]string, len(p.Units))
		for i, u := range p.Units {
			labels[i] = dir.Label(u, lang)
		}
		parts = append(parts, T(lang, "help_units", strings.Join(labels, "; ")))
	}
	return strings.Join(parts, "\n")
}

// Welcome is the reply to a redeemed invite: who the person now is, then the help.
func Welcome(p Person, inv Invite, dir *Directory, lang Lang) []Reply {
	labels := make([]string, len(inv.Nodes))
	for i, n := range inv.Nodes {
		labels[i] = dir.Label(n, lang)
	}
	role := T(lang, "role_"+roleKey(inv.Role))
	return []Reply{
		{Text: T(lang, "inv_ok", p.Name, role+" — "+strings.Join(labels, "; "))},
		{Text: Help(p, dir, lang)},
	}
}

func (t *turn) mine() {
	open := t.env.Calendar.Open(t.now)
	if len(open) == 0 || len(t.units()) == 0 {
		t.say(T(t.lang, "no_units"))
		return
	}
	var b strings.Builder
	per := open[0]
	b.WriteString(T(t.lang, "mine_head", per.Label(t.lang)))
	for _, u := range t.units() {
		b.WriteString("\n\n" + t.env.Dir.Label(u, t.lang))
		for _, f := range t.env.Forms {
			s := t.env.Reports[Key{Unit: u, Period: per.ID, Form: f.ID}].Submitted
			if s == nil {
				b.WriteString("\n" + T(t.lang, "mine_none", f.Title.In(t.lang), per.Label(t.lang)))
				continue
			}
			at := s.At.In(t.loc()).Format("15:04 02/01/2006")
			b.WriteString("\n" + T(t.lang, "mine_form", f.Title.In(t.lang), s.Version, s.Ref, at))
			for _, q := range f.For(per.Kind) {
				if v, ok := s.Values[q.ID]; ok {
					b.WriteString("\n  • " + q.Label.In(t.lang) + ": " + FormatNumber(v))
				}
			}
		}
	}
	t.say(b.String())
}

func (t *turn) loc() *time.Location {
	if t.env.Calendar.Loc != nil {
		return t.env.Calendar.Loc
	}
	return t.now.Location()
}
