package flows

import (
	"strconv"
	"strings"
	"time"
)

// leaderReq is one leader request, read from a command, a button's data or a typed reason. Wants
// and Step read it the same way, so what is loaded is what is shown.
type leaderReq struct {
	kind    string // figures, unit, missing, nudge, nudgeall, ret, reo, reason, chart, xlsx, csv, csv;, docx; "" for none
	bad     string // text key of an answer that needs no data: bad_period, bad_ind, bad_data, no_scope
	badArg  string
	per     Period
	view    View
	mode    string // figures buttons: "" (main), "o" (organisations), "p" (places), "u" (units), "c" (charts)
	unit    string
	form    string
	version int
	page    int
	ind     string
	// all asks for every home of the person (Homes) rather than view: /missing always, and
	// /figures, /chart and /export of someone with several homes (an organiser of two units).
	all bool
}

// leaderCommands are the commands this file reads.
var leaderCommands = map[string]bool{"figures": true, "missing": true, "chart": true, "export": true, "baocao": true}

// parseLeader reads in as a leader request; kind is "" when it is none.
func parseLeader(env *Env, st State, in Input, now time.Time) leaderReq {
	switch in.Kind {
	case CommandInput:
		if leaderCommands[in.Command] {
			return parseLeaderCmd(env, in.Command, strings.TrimSpace(in.Args), now)
		}
	case ButtonInput:
		v, rest, _ := strings.Cut(in.Data, "|")
		action, arg, _ := strings.Cut(rest, "|")
		if v == Unbound && action == "ra" {
			if r, ok := remindAllReq(env, arg); ok {
				return r
			}
			return leaderReq{}
		}
		if v == Unbound {
			return parseLeaderBtn(env, action, arg)
		}
	case TextInput:
		if st.Screen == ReturnReason && st.Return != nil {
			k := st.Return.Key
			p, _ := env.Calendar.Period(k.Period)
			return leaderReq{kind: "reason", per: p, unit: k.Unit, form: k.Form, version: st.Return.Version}
		}
	}
	return leaderReq{}
}

func parseLeaderCmd(env *Env, cmd, args string, now time.Time) leaderReq {
	r := leaderReq{kind: cmd}
	homes := Homes(env.Person, env.Dir)
	if len(homes) == 0 {
		r.bad = "no_scope"
		return r
	}
	r.view = homes[0]
	if len(homes) > 1 {
		r.view = View{} // the whole directory, cut down to the person's grants (Narrow)
	}
	r.all = cmd == "missing" || len(homes) > 1
	switch cmd {
	case "chart":
		args = r.parseIndicator(env, args)
	case "export":
		r.kind, args = exportKind(args)
	case "baocao":
		r.kind = "docx"
	}
	if r.bad != "" {
		return r
	}
	p, ok := env.Calendar.ParsePeriod(args, now)
	if !ok {
		r.bad, r.badArg = "bad_period", args
	}
	r.per = p
	return r
}

// exportKind takes the format off the front of /export's arguments and returns the rest, the
// period: "xlsx" (the default), "csv", or "csv;" for the semicolon-separated CSV that
// Vietnamese-locale Excel opens in columns, written "csv;", "csv ;", "csv semicolon" or
// "csv chấm phẩy".
func exportKind(args string) (kind, rest string) {
	f := strings.Fields(args)
	if len(f) == 0 {
		return "xlsx", args
	}
	switch strings.ToLower(f[0]) {
	case "xlsx", "excel":
		return "xlsx", strings.Join(f[1:], " ")
	case "csv;":
		return "csv;", strings.Join(f[1:], " ")
	case "csv":
	default:
		return "xlsx", args
	}
	f = f[1:]
	switch {
	case len(f) > 0 && (f[0] == ";" || strings.EqualFold(f[0], "semicolon")):
		return "csv;", strings.Join(f[1:], " ")
	case len(f) > 1 && strings.EqualFold(f[0], "chấm") && strings.EqualFold(f[1], "phẩy"):
		return "csv;", strings.Join(f[2:], " ")
	}
	return "csv", strings.Join(f, " ")
}

// parseIndicator takes the indicator off the front of a /chart's arguments (by id, "1.5", or by
// a word of its name) and returns the rest, the period. No indicator named means the first one.
func (r *leaderReq) parseIndicator(env *Env, args string) string {
	if len(env.Indicators) == 0 {
		r.bad = "bad_ind"
		return args
	}
	f := strings.Fields(args)
	if len(f) == 0 {
		r.ind = env.Indicators[0].ID
		return ""
	}
	for _, ind := range env.Indicators {
		if strings.EqualFold(ind.ID, f[0]) {
			r.ind = ind.ID
			return strings.Join(f[1:], " ")
		}
	}
	for i := len(f); i > 0; i-- { // the most words of a name first: "tập hợp quý 1"
		for _, ind := range env.Indicators {
			if nameHas(ind, f[:i]) {
				r.ind = ind.ID
				return strings.Join(f[i:], " ")
			}
		}
	}
	if _, ok := env.Calendar.ParsePeriod(args, time.Time{}); ok {
		r.ind = env.Indicators[0].ID
		return args
	}
	r.bad, r.badArg = "bad_ind", f[0]
	return args
}

// nameHas reports whether words, in order, are part of the indicator's name; a single word must
// have three letters or more, so "q1" never names an indicator.
func nameHas(ind Indicator, words []string) bool {
	w := strings.ToLower(strings.Join(words, " "))
	if len([]rune(w)) < 3 {
		return false
	}
	return strings.Contains(strings.ToLower(ind.Name.Vi), w) || strings.Contains(strings.ToLower(ind.Name.En), w)
}

// leaderArity is how many space-separated fields each leader button's argument holds.
var leaderArity = map[string]int{
	"fig": 4, "unit": 2, "miss": 4, "nudge": 2, "nudgeall": 3, "ret": 4, "reo": 3, "chart": 4, "xlsx": 3, "csv": 3,
}

// parseLeaderBtn reads an unbound button's argument. Anything malformed becomes bad_data; what
// it names is checked against the person's scope later, in Step.
func parseLeaderBtn(env *Env, action, arg string) leaderReq {
	n, ok := leaderArity[action]
	if !ok {
		return leaderReq{}
	}
	r := leaderReq{kind: action}
	f := strings.Fields(arg)
	for i := range f {
		if f[i] == "-" {
			f[i] = ""
		}
	}
	p, okp := env.Calendar.Period(firstOf(f))
	if len(f) != n || !okp {
		r.bad = "bad_data"
		return r
	}
	r.per = p
	if err := r.fill(action, f); err != nil {
		r.bad = "bad_data"
	}
	return r
}

// fill reads the fields after the period; f has the arity of action.
func (r *leaderReq) fill(action string, f []string) error {
	var err error
	switch action {
	case "fig":
		r.view, r.mode = View{Node: f[1], Org: f[2]}, f[3]
	case "chart":
		r.view, r.ind = View{Node: f[1], Org: f[2]}, f[3]
	case "xlsx", "csv":
		r.view = View{Node: f[1], Org: f[2]}
	case "nudgeall":
		r.view, r.all = View{Node: f[1], Org: f[2]}, f[1] == ""
	case "miss":
		r.page, err = strconv.Atoi(f[1])
		r.view, r.all = View{Node: f[2], Org: f[3]}, f[2] == ""
	case "unit", "nudge":
		r.unit = f[1]
	case "ret":
		r.unit, r.form = f[1], f[2]
		r.version, err = strconv.Atoi(f[3])
	case "reo":
		r.unit, r.form = f[1], f[2]
	}
	return err
}

func firstOf(f []string) string {
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// dash writes an empty field of button data as "-", so fields stay apart.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// leaderBtn makes an unbound leader button: its argument is fields joined by spaces.
func leaderBtn(label, action string, fields ...string) Button {
	for i := range fields {
		fields[i] = dash(fields[i])
	}
	return unboundBtn(label, action, strings.Join(fields, " "))
}
