package flows

import (
	"maps"
	"time"
)

// This file is the one place that says what each effect means to anyone but the store: whether
// the store keeps it or the caller sends it (Outbound, Outgoing), and how keeping it changes what
// the step's chat reads (Reading.After). A new effect is declared here and kept by the store's
// one switch over effects; the compiler asks for both methods below.

// Effect is something a step asks of its caller beyond its replies. Most are changes the store
// keeps, with the chat's new state and before the replies go out; the outbound ones (Notify,
// Remind) the caller sends once those are kept.
type Effect interface {
	// Outbound reports whether the caller sends the effect after the commit, rather than the
	// store keeping it.
	Outbound() bool
	// read changes r as keeping the effect changes what the chat reads of the store.
	read(r *Reading)
}

// SaveDraft stores d, provided the stored draft is still at version d.Version-1.
type SaveDraft struct{ Draft Draft }

// DropDraft deletes the person's draft of a report.
type DropDraft struct {
	Key    Key
	Person string
}

// Submit stores s as the new current version of its report and keeps the one it replaces in
// history, provided the stored version is still s.Version-1 and the submitter's draft is still
// at version Draft (the figures came from it); it empties that draft, whose version goes on
// (Emptied).
type Submit struct {
	Submission Submission
	Form       Form  // to list what changed in the history entry
	Draft      int64 // version of the submitter's draft the figures come from; 0 for none
	// Replaces is the submission this one replaces, as the step saw it (nil for the first): the
	// store writes the history from it, and its version check makes sure it was the current one.
	Replaces *Submission
	// Next are the reports of the periods open at the step that count this one's period as
	// their previous one: what they offer to keep, and check big changes against, is this
	// version from now on. The store needs nothing of it; a reading kept across steps does.
	Next []Key
}

// Emptied is the draft a submission from draft version Draft leaves behind: no answers, the
// version counting on, so a step still holding the old draft cannot write over a new one.
func (s Submit) Emptied() Draft {
	sub := s.Submission
	return Draft{Key: sub.Key, Person: sub.By, Answers: map[string]int64{}, Version: s.Draft + 1, Updated: sub.At}
}

// ReturnSubmission sends version Version of report Key back to its unit for correction, provided
// it is still the current version; the store counts the unit as not reported until it submits
// again and keeps the return in the report's history.
type ReturnSubmission struct {
	Key     Key
	Version int
	Return  Return
}

// CreateInvite stores a new one-time invite code.
type CreateInvite struct{ Invite Invite }

// SavePerson stores the person's own settings (language, preferred channel), and nothing else
// of the record.
type SavePerson struct{ Person Person }

// Snooze puts off a person's reminders of one period until Until ("Nhắc lại ngày mai"). The
// store keeps the first snooze of a period only, so it works once.
type Snooze struct {
	Person string
	Period string
	Until  time.Time
}

// SaveModel stores a unit's "Dân vận khéo" model, provided the stored one is still at version
// Model.Version-1 (none at all for version 1, so two organisers registering at once never share
// an id): a registration, or a recognition as an exemplar.
type SaveModel struct{ Model Model }

// Notify asks the caller to send replies to another person (by Person.ID) once the step's other
// effects are stored: an organiser told their report was returned, a nudge from a leader. It is
// not stored; a failure to deliver is logged, never undone.
type Notify struct {
	To      string
	Replies []Reply
}

// Remind asks the caller to remind, now, the organisers of Units who have not submitted Period:
// a leader's "Nhắc ngay" or "Nhắc tất cả" (Nudge: at most once a day per unit) or an admin's
// /remind (All: every unit, or with Within every unit at or below those nodes — a tenant
// admin's scopes; never implied by an empty Units, which reminds nobody).
type Remind struct {
	Period string
	Units  []string
	All    bool
	Within []string
	By     string
	Nudge  bool
}

// Outbound implements Effect: the store keeps a draft.
func (SaveDraft) Outbound() bool { return false }

// Outbound implements Effect: the store deletes the draft.
func (DropDraft) Outbound() bool { return false }

// Outbound implements Effect: the store keeps the submission.
func (Submit) Outbound() bool { return false }

// Outbound implements Effect: the store keeps the return.
func (ReturnSubmission) Outbound() bool { return false }

// Outbound implements Effect: the store keeps the invite.
func (CreateInvite) Outbound() bool { return false }

// Outbound implements Effect: the store keeps the settings.
func (SavePerson) Outbound() bool { return false }

// Outbound implements Effect: the store keeps the snooze.
func (Snooze) Outbound() bool { return false }

// Outbound implements Effect: the store keeps the model.
func (SaveModel) Outbound() bool { return false }

// Outbound implements Effect: a notice is sent.
func (Notify) Outbound() bool { return true }

// Outbound implements Effect: reminders are sent.
func (Remind) Outbound() bool { return true }

func (e SaveDraft) read(r *Reading) {
	d := e.Draft
	r.edit(d.Key, func(info *ReportInfo) { info.Draft = &d })
}

func (e DropDraft) read(r *Reading) {
	r.edit(e.Key, func(info *ReportInfo) { info.Draft = nil })
}

func (e Submit) read(r *Reading) {
	sub := e.Submission
	r.edit(sub.Key, func(info *ReportInfo) {
		info.Submitted, info.Draft = &sub, nil
		if e.Draft > 0 { // the store empties the draft the figures came from
			d := e.Emptied()
			info.Draft = &d
		}
	})
	for _, k := range e.Next {
		if _, ok := r.Reports[k]; ok {
			r.edit(k, func(info *ReportInfo) { info.Previous = &sub })
		}
	}
}

// read marks the report returned where the chat reads it, as the current submission (a leader
// who also reports for the unit) or as the previous period's of a later report.
func (e ReturnSubmission) read(r *Reading) {
	returned := func(s *Submission) *Submission {
		if s == nil || s.Key != e.Key || s.Version != e.Version {
			return s
		}
		ret, back := *s, e.Return
		ret.Returned = &back
		return &ret
	}
	for k, info := range r.Reports {
		if sub, prev := returned(info.Submitted), returned(info.Previous); sub != info.Submitted || prev != info.Previous {
			r.edit(k, func(info *ReportInfo) { info.Submitted, info.Previous = sub, prev })
		}
	}
}

func (e SavePerson) read(r *Reading) {
	r.Person.Lang, r.Person.Channel = e.Person.Lang, e.Person.Channel
}

func (CreateInvite) read(*Reading) {} // the chat reads no invites
func (Snooze) read(*Reading)       {} // nor snoozes
func (SaveModel) read(*Reading)    {} // the register is read afresh for every step (Want.Models)
func (Notify) read(*Reading)       {}
func (Remind) read(*Reading)       {}

// Reading is what a chat's steps read of the store besides the chat's state: the person behind
// it and their reports (Env.Person, Env.Reports).
type Reading struct {
	Person  Person
	Reports map[Key]ReportInfo
}

// After returns r as the store holds it once effects are kept, so a caller that keeps readings
// between steps need not read them again. r's own map is left as it was.
func (r Reading) After(effects []Effect) Reading {
	r.Reports = maps.Clone(r.Reports)
	for _, e := range effects {
		e.read(&r)
	}
	return r
}

// edit changes the entry of report k, creating it if the reading had none.
func (r *Reading) edit(k Key, change func(*ReportInfo)) {
	if r.Reports == nil {
		r.Reports = map[Key]ReportInfo{}
	}
	info := r.Reports[k]
	change(&info)
	r.Reports[k] = info
}

// Sends are what a step's effects ask the caller to send once the step is stored.
type Sends struct {
	Notices []Notify
	Reminds []Remind
}

// Outgoing picks out of effects those the caller sends (the Outbound ones), by kind.
func Outgoing(effects []Effect) Sends {
	var s Sends
	for _, e := range effects {
		switch e := e.(type) {
		case Notify:
			s.Notices = append(s.Notices, e)
		case Remind:
			s.Reminds = append(s.Reminds, e)
		}
	}
	return s
}
