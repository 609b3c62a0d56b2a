package flows

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden conversation files")

// TestScripts replays every conversation under testdata/scripts and compares what the bot
// said and stored with the .golden file beside it. Run with -update to accept new output.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/scripts/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := newWorld(t).run(t, string(src))
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./flows -run TestScripts -update)", err)
			}
			if got != string(want) {
				t.Errorf("conversation differs from %s:\n%s", golden, diffLines(string(want), got))
			}
		})
	}
}

// world is an in-memory stand-in for the store and the clock, enough to replay conversations.
type world struct {
	env     Env
	now     time.Time
	people  map[string]Person
	states  map[string]State
	current string
	chat    string
	drafts  map[string]Draft // by person + key
	subs    map[Key]Submission
	hist    map[Key][]Submission // every version, oldest first, as the store's history
	fullDir *Directory           // the directory the tallies were kept with (see @remove)
	nudges  map[string]Nudge     // each unit's latest nudge, as the reminders record it
	models  map[string][]Model   // each unit's "Dân vận khéo" register, in the order registered
	sheet   *DirectoryCheck      // what the caller's check of any file sent makes of it (@sheet)
	replies []Reply              // every reply so far, numbered from 1 in the output
	chats   []string             // the chat each reply went to
	codes   int
	tb      testing.TB
}

func newWorld(tb testing.TB) *world {
	w := &world{people: map[string]Person{}, states: map[string]State{}, drafts: map[string]Draft{}, subs: map[Key]Submission{},
		hist: map[Key][]Submission{}, nudges: map[string]Nudge{}, models: map[string][]Model{}, tb: tb}
	w.env = Env{Dir: mustDirectory(tb), Forms: testForms(), Calendar: testCalendar(), Indicators: testIndicators(),
		InviteTTL: 7 * 24 * time.Hour, BotName: "danvan_bot", Channels: testChannels(), Register: testRegister()}
	w.fullDir = w.env.Dir
	w.now = time.Date(2026, 3, 10, 9, 0, 0, 0, testLoc)
	return w
}

func (w *world) run(tb testing.TB, src string) string {
	var out strings.Builder
	for n, line := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
			out.WriteString(line + "\n")
		case strings.HasPrefix(line, "@"):
			out.WriteString(line + "\n")
			if err := w.directive(strings.Fields(line[1:])); err != nil {
				tb.Fatalf("line %d: %s: %v", n+1, line, err)
			}
		case strings.HasPrefix(line, ">"):
			out.WriteString(line + "\n")
			w.say(tb, n+1, strings.TrimPrefix(strings.TrimPrefix(line, ">"), " "), &out)
		default:
			tb.Fatalf("line %d: want #, @ or >: %q", n+1, line)
		}
	}
	return out.String()
}

func (w *world) directive(f []string) error {
	switch {
	case len(f) >= 2 && f[0] == "person":
		p := Person{ID: f[1], Name: f[1]}
		for _, a := range f[2:] {
			role, nodes, _ := strings.Cut(a, "=")
			switch role {
			case "units":
				p.Units = strings.Split(nodes, ",")
			case "scopes":
				p.Scopes = strings.Split(nodes, ",")
			case "admin":
				p.Admin = nodes == "" // "admin": a bootstrap admin; "admin=tanphong": a tenant's admin there
				if nodes != "" {
					p.AdminOf = strings.Split(nodes, ",")
				}
			}
		}
		w.people[p.ID], w.current, w.chat = p, p.ID, ""
	case len(f) == 2 && f[0] == "as":
		w.current, w.chat = f[1], ""
	case len(f) == 2 && f[0] == "chat":
		w.chat = strings.TrimPrefix(f[1], "main") // the same person in another chat (a second phone, or Zalo)
	case len(f) == 2 && f[0] == "now":
		t, err := time.ParseInLocation("2006-01-02T15:04", f[1], testLoc)
		w.now = t
		return err
	case len(f) == 2 && f[0] == "advance":
		d, err := time.ParseDuration(f[1])
		w.now = w.now.Add(d)
		return err
	case len(f) >= 1 && f[0] == "plan":
		return w.plan(f[1:]) // remind_flow_test.go
	case len(f) >= 4 && f[0] == "prev":
		return w.seed(f[1], f[2], f[3], f[4:])
	case len(f) == 2 && f[0] == "remove":
		return w.remove(f[1])
	case len(f) >= 5 && f[0] == "model":
		return w.seedModel(f[1:]) // model_world_test.go
	case len(f) == 2 && f[0] == "forms" && f[1] == "defaults":
		forms, err := defaultForms() // journey_test.go
		w.env.Forms = forms
		return err
	case len(f) == 2 && f[0] == "sheet":
		return w.setSheet(f[1]) // directory_flow_test.go
	case len(f) == 2 && f[0] == "via":
		return w.setVia(f[1])
	case len(f) == 2 && f[0] == "dir" && f[1] == "merger":
		w.env.Dir = mergerDirectory(w.tb)
		w.fullDir = w.env.Dir
	default:
		return fmt.Errorf("unknown directive")
	}
	return nil
}

// seed files a submission made before the script starts: "@prev unit period form k=v ...".
func (w *world) seed(unit, period, form string, kv []string) error {
	k := Key{Unit: unit, Period: period, Form: form}
	s := Submission{Key: k, Values: map[string]int64{}, By: "seed", Version: 1, Ref: "SEED01", At: w.now.AddDate(0, -3, 0)}
	for _, p := range kv {
		name, v, _ := strings.Cut(p, "=")
		if name == "at" || name == "by" {
			if err := seedMeta(&s, name, v); err != nil {
				return err
			}
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return err
		}
		s.Values[name] = n
	}
	w.subs[k] = s
	w.hist[k] = append(w.hist[k], s)
	return nil
}

// say feeds one typed line to the current person's chat and writes what came back.
func (w *world) say(tb testing.TB, line int, text string, out *strings.Builder) {
	in, err := w.input(text)
	if err != nil {
		tb.Fatalf("line %d: %v", line, err)
	}
	p := w.people[w.current]
	env := w.env
	env.Person = p
	env.Reports = w.reports(p)
	w.codes++
	env.Code = fmt.Sprintf("CODE%02d", w.codes)
	st := w.states[w.current+"#"+w.chat]
	w.fill(&env, st, in)
	next, replies, effects := Step(&env, st, in, w.now)
	w.states[w.current+"#"+w.chat] = next
	for _, r := range replies {
		w.replies = append(w.replies, r)
		w.chats = append(w.chats, w.current+"#"+w.chat)
		writeReply(out, len(w.replies), r)
	}
	for _, e := range effects {
		fmt.Fprintf(out, "  ! %s\n", w.apply(e))
		if n, ok := e.(Notify); ok {
			w.notify(n, out)
		}
	}
}

// input reads the script's notation: /cmd args, [button label] or [label@N] for a button of
// reply N, (photo) for media, (file NAME) for a document, (press data) for a press with made-up
// data, (long N) for N characters of text, anything else is typed text.
func (w *world) input(s string) (Input, error) {
	switch {
	case s == "(photo)" || s == "(sticker)":
		return Input{Kind: MediaInput}, nil
	case strings.HasPrefix(s, "(file ") && strings.HasSuffix(s, ")"):
		return Input{Kind: MediaInput, File: s[len("(file ") : len(s)-1]}, nil
	case strings.HasPrefix(s, "(press ") && strings.HasSuffix(s, ")"):
		return Input{Kind: ButtonInput, Data: s[len("(press ") : len(s)-1]}, nil // forged or hand-made data
	case strings.HasPrefix(s, "(long ") && strings.HasSuffix(s, ")"):
		n, err := strconv.Atoi(s[len("(long ") : len(s)-1])
		return Input{Kind: TextInput, Text: longText(n)}, err
	case strings.HasPrefix(s, "/"):
		cmd, args, _ := strings.Cut(s[1:], " ")
		return Input{Kind: CommandInput, Command: cmd, Args: args}, nil
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		return w.press(s[1 : len(s)-1])
	}
	return Input{Kind: TextInput, Text: s}, nil
}

func (w *world) press(label string) (Input, error) {
	label, at, _ := strings.Cut(label, "@")
	from := len(w.replies)
	if at != "" {
		n, err := strconv.Atoi(at)
		if err != nil || n < 1 || n > len(w.replies) {
			return Input{}, fmt.Errorf("no reply #%s", at)
		}
		from = n
	}
	for i := from - 1; i >= 0; i-- {
		if at == "" && w.chats[i] != w.current+"#"+w.chat {
			continue // a person presses buttons in the chat they are in
		}
		for _, row := range w.replies[i].Buttons {
			for _, b := range row {
				if strings.Contains(b.Label, label) {
					return Input{Kind: ButtonInput, Data: b.Data}, nil
				}
			}
		}
		if at != "" {
			break
		}
	}
	return Input{}, fmt.Errorf("no button %q", label)
}

func (w *world) reports(p Person) map[Key]ReportInfo {
	out := map[Key]ReportInfo{}
	for _, q := range ReportQueries(p, w.env.Dir, w.env.Forms, w.env.Calendar, w.now) {
		var info ReportInfo
		if d, ok := w.drafts[q.Person+"|"+q.Key.String()]; ok {
			info.Draft = &d
		}
		if s, ok := w.subs[q.Key]; ok {
			info.Submitted = &s
		}
		if s, ok := w.subs[Key{Unit: q.Key.Unit, Period: q.Previous, Form: q.Key.Form}]; ok && q.Previous != "" {
			info.Previous = &s
		}
		for _, b := range q.Before {
			if s, ok := w.subs[Key{Unit: b, Period: q.Previous, Form: q.Key.Form}]; ok {
				info.Before = append(info.Before, s)
			}
		}
		out[q.Key] = info
	}
	return out
}

// apply stores an effect the way the real store would, version checks included, and describes it.
func (w *world) apply(e Effect) string {
	switch e := e.(type) {
	case SaveDraft:
		id := e.Draft.Person + "|" + e.Draft.Key.String()
		if old := w.drafts[id]; old.Version != e.Draft.Version-1 {
			return fmt.Sprintf("SaveDraft CONFLICT v%d over v%d", e.Draft.Version, old.Version)
		}
		w.drafts[id] = e.Draft
		return fmt.Sprintf("SaveDraft %s v%d %s%s", e.Draft.Key, e.Draft.Version, values(e.Draft.Answers), textsOf(e.Draft.Texts, e.Draft.Typing))
	case Submit:
		s := e.Submission
		if old := w.subs[s.Key]; old.Version != s.Version-1 {
			return fmt.Sprintf("Submit CONFLICT v%d over v%d", s.Version, old.Version)
		}
		w.subs[s.Key] = s
		w.hist[s.Key] = append(w.hist[s.Key], s)
		if e.Draft > 0 {
			w.drafts[s.By+"|"+s.Key.String()] = Draft{Key: s.Key, Person: s.By, Answers: map[string]int64{}, Version: e.Draft + 1}
		}
		return fmt.Sprintf("Submit %s v%d ref %s %s%s", s.Key, s.Version, s.Ref, values(s.Values), textsOf(s.Texts, ""))
	case CreateInvite:
		return fmt.Sprintf("CreateInvite %s %s %v expires %s", e.Invite.Code, e.Invite.Role, e.Invite.Nodes, e.Invite.Expires.Format(time.RFC3339))
	case SavePerson:
		w.people[e.Person.ID] = e.Person
		return fmt.Sprintf("SavePerson %s lang=%s", e.Person.ID, e.Person.Lang)
	case DropDraft:
		delete(w.drafts, e.Person+"|"+e.Key.String())
		return fmt.Sprintf("DropDraft %s", e.Key)
	case SaveModel:
		return w.saveModel(e.Model)
	default:
		return w.applyLeader(e)
	}
}

func values(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func writeReply(out *strings.Builder, n int, r Reply) {
	flags := ""
	if r.Edit {
		flags += " (edit)"
	}
	if r.Notice != "" {
		flags += " (notice)"
	}
	fmt.Fprintf(out, "< #%d%s\n", n, flags)
	for _, l := range strings.Split(r.Text, "\n") {
		out.WriteString("  " + l + "\n")
	}
	if a := r.Attach; a != nil {
		fmt.Fprintf(out, "  📎 %s period=%s node=%s org=%s indicator=%s by=%s\n", a.Kind, a.Period, a.Node, a.Org, a.Indicator, a.By)
	}
	for _, row := range r.Buttons {
		labels := make([]string, len(row))
		for i, b := range row {
			labels[i] = "[" + b.Label + "]"
		}
		out.WriteString("  " + strings.Join(labels, " ") + "\n")
	}
}

// diffLines shows the first lines where want and got part.
func diffLines(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var a, b string
		if i < len(wl) {
			a = wl[i]
		}
		if i < len(gl) {
			b = gl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, a, b)
		}
	}
	return "(same lines, different endings)"
}
