package flows

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// load fills env with what Wants named, computed from the world's submissions the way the store
// keeps them: tallies as sums of Contribution over the units below each node.
func (w *world) load(env *Env, want Want) {
	if want.Status != nil {
		env.Status = map[string]UnitStatus{}
		for _, u := range want.Status {
			env.Status[u] = w.status(u, want.Period)
		}
	}
	env.Tallies = map[TallyKey]Tally{}
	for _, k := range want.Tallies {
		env.Tallies[k] = w.tallyOf(k)
	}
	env.Progress = map[string]UnitProgress{}
	for _, u := range want.Progress {
		env.Progress[u] = w.progress(u, want.Period)
	}
	env.Contacts = maps.Clone(w.people) // the store loads only those the view names
	if want.Sheet {
		env.Sheet = w.sheet
	}
	env.History = map[Key][]Submission{}
	for _, k := range want.History {
		if h := w.hist[k]; len(h) > 0 {
			env.History[k] = slices.Clone(h)
		}
	}
	env.Models = map[string][]Model{}
	for _, u := range want.Models {
		if ms := w.models[u]; len(ms) > 0 {
			env.Models[u] = slices.Clone(ms)
		}
	}
}

// tallyOf sums the contributions of the current submissions a tally key covers. It uses the
// directory the store kept its tallies with, so a unit removed later still counts, as in Redis.
func (w *world) tallyOf(k TallyKey) Tally {
	sum := Tally{Sums: map[string]int64{}, Met: map[string]int{}}
	per, _ := w.env.Calendar.Period(k.Period)
	for key, s := range w.subs {
		n, ok := w.fullDir.Node(key.Unit)
		if key.Period != k.Period || key.Form != k.Form || !ok || !w.fullDir.Within(n.ID, k.Node) || (k.Org != AllOrgs && n.Org != k.Org) {
			continue
		}
		sum.Add(Contribution(&s, w.env.Indicators, per.Due))
	}
	return sum
}

// fill loads what Wants names into env the way the dispatcher does: once more when it asks
// Again. It returns the Wants merged.
func (w *world) fill(env *Env, st State, in Input) Want {
	want := Wants(env, st, in, w.now)
	w.load(env, want)
	if want.Again {
		more := Wants(env, st, in, w.now)
		w.load(env, more)
		want.Progress, want.Tallies, want.History = more.Progress, more.Tallies, more.History
	}
	return want
}

// status is one unit's status in period, as the store's report states give it.
func (w *world) status(unit, period string) UnitStatus {
	var st UnitStatus
	per, _ := w.env.Calendar.Period(period)
	for i, f := range w.env.Forms {
		s, ok := w.subs[Key{Unit: unit, Period: period, Form: f.ID}]
		if ok && s.Returned == nil {
			st.Done |= 1 << i
			if s.First().After(per.Due) {
				st.Late |= 1 << i
			}
		}
	}
	return st
}

// progress is one unit's standing in period: submissions, organisers (people, sorted) and drafts.
func (w *world) progress(unit, period string) UnitProgress {
	p := UnitProgress{Unit: unit, Subs: map[string]*Submission{}, Drafts: map[string]map[string]*Draft{}}
	for _, f := range w.env.Forms {
		k := Key{Unit: unit, Period: period, Form: f.ID}
		if s, ok := w.subs[k]; ok {
			p.Subs[f.ID] = &s
		}
	}
	for id, person := range w.people {
		if person.Organises(unit) {
			p.Organisers = append(p.Organisers, id)
		}
	}
	slices.Sort(p.Organisers)
	if n, ok := w.nudges[unit]; ok {
		p.Nudged = &n
	}
	for _, d := range w.drafts {
		if d.Key.Unit == unit && d.Key.Period == period && d.Started() {
			if p.Drafts[d.Key.Form] == nil {
				p.Drafts[d.Key.Form] = map[string]*Draft{}
			}
			p.Drafts[d.Key.Form][d.Person] = &d
		}
	}
	return p
}

// applyLeader stores the leader effects: returns with their version check, and describes
// notifications and nudges (which the store does not keep).
func (w *world) applyLeader(e Effect) string {
	switch e := e.(type) {
	case ReturnSubmission:
		s, ok := w.subs[e.Key]
		if !ok || s.Version != e.Version || s.Returned != nil {
			return fmt.Sprintf("ReturnSubmission CONFLICT v%d", e.Version)
		}
		r := e.Return
		s.Returned = &r
		w.subs[e.Key] = s
		h := w.hist[e.Key]
		h[len(h)-1] = s
		return fmt.Sprintf("ReturnSubmission %s v%d by %s: %s", e.Key, e.Version, r.By, r.Reason)
	case Notify:
		return fmt.Sprintf("Notify %s", e.To)
	case Remind:
		if e.Nudge { // the reminders record the nudge as they send it
			for _, u := range e.Units {
				w.nudges[u] = Nudge{At: w.now, By: e.By}
			}
		}
		s := fmt.Sprintf("Remind %s %v by %s nudge=%v", e.Period, e.Units, e.By, e.Nudge)
		if len(e.Within) > 0 {
			s += fmt.Sprintf(" all within %v", e.Within)
		}
		return s
	}
	return fmt.Sprintf("%T", e)
}

// notify delivers n's replies to the person's main chat, where their buttons can be pressed.
func (w *world) notify(n Notify, out *strings.Builder) {
	for _, r := range n.Replies {
		w.replies = append(w.replies, r)
		w.chats = append(w.chats, n.To+"#")
		writeReply(out, len(w.replies), r)
	}
}

// remove drops a unit from the directory people see, as an admin editing the file would; the
// tallies keep what it reported, as the store's do.
func (w *world) remove(id string) error {
	var nodes []Node
	for _, n := range w.env.Dir.Nodes() {
		if n.ID != id {
			nodes = append(nodes, n)
		}
	}
	d, err := NewDirectory(w.env.Dir.Orgs(), nodes)
	w.env.Dir = d
	return err
}

// seedMeta sets who submitted a seeded report (by=) or when (at=2026-03-20T10:00).
func seedMeta(s *Submission, name, v string) error {
	if name == "by" {
		s.By = v
		return nil
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", v, testLoc)
	s.At = at
	return err
}
