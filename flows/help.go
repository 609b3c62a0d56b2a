package flows

import (
	"strings"
	"time"
)

func (t *turn) help() {
	t.say(Help(t.env.Person, t.env.Dir, t.env.Channels, t.lang))
}

// Help is what a known person reads on /start and /help: the commands their roles allow and
// the units they report for. Linking accounts is offered where chans (the platforms the host
// runs) are more than one.
func Help(p Person, dir *Directory, chans []Channel, lang Lang) string {
	parts := []string{T(lang, "welcome", displayName(p, lang)), T(lang, "help_org")}
	if len(chans) > 1 {
		parts = append(parts, helpLink(chans, lang))
	}
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

// displayName is how the bot addresses p: their name, or "bạn" when Telegram gave none.
func displayName(p Person, lang Lang) string {
	if p.Name != "" {
		return p.Name
	}
	return map[Lang]string{VI: "bạn", EN: "there"}[lang]
}

// Welcome is the reply to a redeemed invite: who the person now is, then the help.
func Welcome(p Person, inv Invite, dir *Directory, chans []Channel, lang Lang) []Reply {
	labels := make([]string, len(inv.Nodes))
	for i, n := range inv.Nodes {
		labels[i] = dir.Label(n, lang)
	}
	role := T(lang, "role_"+roleKey(inv.Role))
	return []Reply{
		{Text: T(lang, "inv_ok", displayName(p, lang), role+" — "+strings.Join(labels, "; "))},
		{Text: Help(p, dir, chans, lang)},
	}
}

// mine lists, for every open period, what each of the person's units has submitted: the
// reports people ask about are their units', whoever of the unit's organisers sent them.
func (t *turn) mine() {
	open := t.open()
	if len(open) == 0 || len(t.units()) == 0 {
		t.say(T(t.lang, "no_units"))
		return
	}
	var parts []string
	for _, per := range open {
		var b strings.Builder
		b.WriteString(T(t.lang, "mine_head", per.Label(t.lang)))
		for _, u := range t.units() {
			b.WriteString("\n" + t.env.Dir.Label(u, t.lang))
			for _, f := range t.env.Forms {
				t.mineForm(&b, Key{Unit: u, Period: per.ID, Form: f.ID}, f, per.Kind)
			}
		}
		parts = append(parts, b.String())
	}
	t.say(strings.Join(parts, "\n\n"))
}

func (t *turn) mineForm(b *strings.Builder, k Key, f Form, kind PeriodKind) {
	s := t.env.Reports[k].Submitted
	if s == nil {
		b.WriteString("\n  " + T(t.lang, "mine_none", f.Title.In(t.lang)))
		return
	}
	at := s.At.In(t.loc()).Format("15:04 02/01/2006")
	b.WriteString("\n  " + T(t.lang, "mine_form", f.Title.In(t.lang), s.Version, s.Ref, at))
	if s.By != t.env.Person.ID {
		b.WriteString(" " + T(t.lang, "mine_other"))
	}
	if s.Returned != nil {
		b.WriteString("\n  " + T(t.lang, "mine_returned", s.Returned.Reason))
	}
	for _, q := range f.For(kind) {
		if v, ok := s.Values[q.ID]; ok {
			b.WriteString("\n    • " + q.Label.In(t.lang) + ": " + FormatNumber(v))
		}
	}
}

func (t *turn) loc() *time.Location {
	if t.env.Calendar.Loc != nil {
		return t.env.Calendar.Loc
	}
	return t.now.Location()
}
