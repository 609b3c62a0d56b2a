package flows

import (
	"strings"
	"time"
)

func (t *turn) help() {
	t.say(Help(t.env.Person, t.env.Dir, t.env.Channels, t.lang))
}

func init() {
	addTexts(map[string]Text{
		"cmd_report":     {Vi: "/report — gửi báo cáo số liệu", En: "/report — submit figures"},
		"cmd_mine":       {Vi: "/mine — xem số liệu đã gửi kỳ này", En: "/mine — what I submitted this period"},
		"cmd_figures":    {Vi: "/figures [kỳ] — số liệu tổng hợp, chỉ tiêu so với kế hoạch", En: "/figures [period] — the figures against the plan's targets"},
		"cmd_figures_o":  {Vi: "/figures [kỳ] — số liệu các đơn vị bạn phụ trách, so với chỉ tiêu", En: "/figures [period] — your units' figures against the targets"},
		"cmd_missing":    {Vi: "/missing [kỳ] — đơn vị chưa nộp, nhắc ngay", En: "/missing [period] — units yet to report, nudge them"},
		"cmd_missing_o":  {Vi: "/missing [kỳ] — biểu mẫu đơn vị bạn còn thiếu", En: "/missing [period] — the forms your units still owe"},
		"cmd_chart":      {Vi: "/chart [chỉ tiêu] [kỳ] — biểu đồ", En: "/chart [indicator] [period] — a chart"},
		"cmd_export":     {Vi: "/export [kỳ] — bảng tính Excel (/export csv)", En: "/export [period] — an Excel workbook (/export csv)"},
		"cmd_invite":     {Vi: "/invite — tạo mã mời cán bộ phụ trách, lãnh đạo hoặc quản trị viên", En: "/invite — make an invite code for an organiser, a leader or an admin"},
		"cmd_calendar":   {Vi: "/calendar — lịch báo cáo và các đợt nhắc trong năm", En: "/calendar — the year's reporting calendar and reminders"},
		"cmd_reminders":  {Vi: "/reminders — xem trước các nhắc nhở sắp gửi", En: "/reminders — preview the coming reminders"},
		"cmd_remind":     {Vi: "/remind <kỳ> — gửi nhắc nhở ngay cho mọi đơn vị chưa báo cáo", En: "/remind <period> — remind every unit yet to report, now"},
		"cmd_directory":  {Vi: "/directory — danh bạ đơn vị: nhận bảng hiện tại, gửi bảng mới để kiểm tra", En: "/directory — the directory of units: get the current sheet, send a new one to check"},
		"cmd_cancel":     {Vi: "/cancel — dừng việc đang làm", En: "/cancel — stop what you are doing"},
		"cmd_lang":       {Vi: "/lang vi|en — đổi ngôn ngữ", En: "/lang vi|en — change language"},
		"cmd_help":       {Vi: "/help — hướng dẫn", En: "/help — this help"},
		"help_scopes":    {Vi: "Phạm vi lãnh đạo của bạn: %s", En: "Your scope as a leader: %s"},
		"help_admin_all": {Vi: "Bạn là cán bộ quản trị: xem được số liệu của mọi đơn vị.", En: "You are an admin: you may read every unit's figures."},
		"help_admin_of":  {Vi: "Bạn là quản trị viên của: %s.", En: "You are an admin of: %s."},
	})
}

// helpCommand is one line of /help and who may use it: the rule the command itself applies.
type helpCommand struct {
	key string
	may func(p Person, dir *Directory) bool
}

// organiserOnly reports whether p reads figures only as the organiser of their own units.
func organiserOnly(p Person) bool { return !IsAdmin(p) && len(p.Scopes) == 0 }

// reads reports whether p may read some figures: /figures, /missing, /chart and /export refuse
// anyone without a home (Homes).
func reads(p Person, dir *Directory) bool { return len(Homes(p, dir)) > 0 }

func organises(p Person, _ *Directory) bool { return len(p.Units) > 0 }

// leads reports whether p reads figures as a leader or an admin: /baocao drafts their reports
// (draftsReports), and /mohinh lists their scope's models when they report for no unit.
func leads(p Person, d *Directory) bool { return !organiserOnly(p) && reads(p, d) }

func administers(p Person, _ *Directory) bool { return IsAdmin(p) }

// bootstraps reports whether p is a bootstrap admin (Person.Admin): the directory of every
// tenant is theirs alone to read and change (/directory).
func bootstraps(p Person, _ *Directory) bool { return p.Admin }

// helpCommands lists the commands of some role in the order /help shows them, each with its rule.
var helpCommands = []helpCommand{
	{"cmd_report", organises},
	{"cmd_mine", organises},
	{"cmd_figures", func(p Person, d *Directory) bool { return !organiserOnly(p) && reads(p, d) }},
	{"cmd_figures_o", func(p Person, d *Directory) bool { return organiserOnly(p) && reads(p, d) }},
	{"cmd_missing", func(p Person, d *Directory) bool { return !organiserOnly(p) && reads(p, d) }},
	{"cmd_missing_o", func(p Person, d *Directory) bool { return organiserOnly(p) && reads(p, d) }},
	{"cmd_chart", reads},
	{"cmd_export", reads},
	{"cmd_baocao", leads},
	{"cmd_mohinh", organises},
	{"cmd_mohinh_l", func(p Person, d *Directory) bool { return len(p.Units) == 0 && leads(p, d) }},
	{"cmd_invite", administers},
	{"cmd_calendar", administers},
	{"cmd_reminders", administers},
	{"cmd_remind", administers},
	{"cmd_directory", bootstraps},
}

// helpAlways are the commands everyone known may use, shown last.
var helpAlways = []string{"cmd_cancel", "cmd_lang", "cmd_help"}

// Help is what a known person reads on /start and /help: every command their roles allow (an
// organiser, a leader, an admin, or several at once), then the units they report for and the
// scope they lead. Linking accounts is offered where chans (the platforms the host runs) are
// more than one.
func Help(p Person, dir *Directory, chans []Channel, lang Lang) string {
	var cmds []string
	for _, c := range helpCommands {
		if c.may(p, dir) {
			cmds = append(cmds, TFor(p, lang, c.key))
		}
	}
	if len(chans) > 1 {
		cmds = append(cmds, helpLink(chans, lang))
	}
	for _, k := range helpAlways {
		cmds = append(cmds, TFor(p, lang, k))
	}
	parts := []string{TFor(p, lang, "welcome", displayName(p, lang)), strings.Join(cmds, "\n")}
	if len(p.Units) > 0 {
		parts = append(parts, TFor(p, lang, "help_units", labelsOf(dir, p.Units, lang)))
	}
	switch {
	case p.Admin:
		parts = append(parts, TFor(p, lang, "help_admin_all"))
	case len(p.AdminOf) > 0:
		parts = append(parts, TFor(p, lang, "help_admin_of", labelsOf(dir, p.AdminOf, lang)))
	}
	switch {
	case p.Admin:
	case len(p.Scopes) > 0:
		scopes := make([]string, len(p.Scopes))
		for i, s := range p.Scopes {
			scopes[i] = ScopeLabel(dir, s, lang)
		}
		parts = append(parts, TFor(p, lang, "help_scopes", strings.Join(scopes, "; ")))
	}
	return strings.Join(parts, "\n")
}

func labelsOf(dir *Directory, nodes []string, lang Lang) string {
	labels := make([]string, len(nodes))
	for i, n := range nodes {
		labels[i] = dir.Label(n, lang)
	}
	return strings.Join(labels, "; ")
}

// displayName is how the bot addresses p: by their name, or "bạn" when the platform gave none;
// leaders and admins as "đồng chí" (Formal).
func displayName(p Person, lang Lang) string {
	formal := Formal(p) && lang == VI
	switch {
	case formal && p.Name != "":
		return "đồng chí " + p.Name
	case formal:
		return "đồng chí"
	case p.Name != "":
		return p.Name
	}
	return map[Lang]string{VI: "bạn", EN: "there"}[lang]
}

// Welcome is the reply to a redeemed invite: who the person now is, then the help.
func Welcome(p Person, inv Invite, dir *Directory, chans []Channel, lang Lang) []Reply {
	role := T(lang, "role_"+roleKey(inv.Role))
	return []Reply{
		{Text: TFor(p, lang, "inv_ok", displayName(p, lang), role+" — "+labelsOf(dir, inv.Nodes, lang))},
		{Text: Help(p, dir, chans, lang)},
	}
}

// mine lists, for every open period, what each of the person's units has submitted: the
// reports people ask about are their units', whoever of the unit's organisers sent them.
func (t *turn) mine() {
	open := t.open()
	if len(open) == 0 || len(t.units()) == 0 {
		t.say(t.T("no_units"))
		return
	}
	var parts []string
	for _, per := range open {
		var b strings.Builder
		b.WriteString(t.T("mine_head", per.Label(t.lang)))
		for _, u := range t.units() {
			if t.env.Dir.In(per).UnitCount(u, AllOrgs) == 0 {
				continue // not a unit of this period: merged away, or not yet formed
			}
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
		b.WriteString("\n  " + t.T("mine_none", f.Title.In(t.lang)))
		return
	}
	at := s.At.In(t.loc()).Format("15:04 02/01/2006")
	b.WriteString("\n  " + t.T("mine_form", f.Title.In(t.lang), s.Version, s.Ref, at))
	if s.By != t.env.Person.ID {
		b.WriteString(" " + t.T("mine_other"))
	}
	if s.Returned != nil {
		b.WriteString("\n  " + t.T("mine_returned", s.Returned.Reason))
	}
	for _, q := range f.For(kind) {
		if v, ok := s.Values[q.ID]; ok && !q.IsText() {
			b.WriteString("\n    • " + q.Label.In(t.lang) + ": " + t.num(v))
		} else if text := s.Texts[q.ID]; q.IsText() && text != "" {
			b.WriteString("\n    • " + q.Label.In(t.lang) + ": " + quoteLines(text, 1, buttonRunes*2))
		}
	}
}

func (t *turn) loc() *time.Location {
	if t.env.Calendar.Loc != nil {
		return t.env.Calendar.Loc
	}
	return t.now.Location()
}
