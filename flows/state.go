package flows

import "errors"

// ErrConflict is returned by stores when a versioned write lost a race: the caller reloads and
// runs the step again.
var ErrConflict = errors.New("conflict: stored version moved on")

// ErrDuplicate is returned by stores for an update that was handled before: its step is
// dropped, replies and all; the caller may show the chat's screen again (Redraw).
var ErrDuplicate = errors.New("update already handled")

// ErrStateNotSaved is returned by stores when a step's effects were stored but the chat's new
// state was not (the connection dropped in between): what the step did stands, and the chat is
// still on its old screen.
var ErrStateNotSaved = errors.New("effects stored, chat state not saved")

// ErrNotFound is returned by stores for a missing record, such as an unknown or used invite code.
var ErrNotFound = errors.New("not found")

// Screen is where a chat's conversation stands.
type Screen string

// The screens of the conversation.
const (
	Idle     Screen = ""
	PickUnit Screen = "pick_unit"
	// PickPeriod and AskResume are screens the journey no longer opens (a period's choice, a
	// draft's "Tiếp tục / Làm lại"); a chat saved on one still works: PickPeriod shows the chooser.
	PickPeriod Screen = "pick_period"
	// PickForm is the chooser ("🔁 Đổi"): the forms of a unit's period, its other periods, the
	// person's other units.
	PickForm Screen = "pick_form"
	// PickDraft asks which of several drafts to go on with.
	PickDraft   Screen = "pick_draft"
	AskResume   Screen = "resume"
	Asking      Screen = "asking"
	SoftConfirm Screen = "soft_confirm"
	Summary     Screen = "summary"
	EditPick    Screen = "edit_pick"
	InviteRole  Screen = "invite_role"
	InviteNodes Screen = "invite_nodes"
	// ReturnReason waits for a leader to type why a report goes back for correction.
	ReturnReason Screen = "return_reason"
	// The screens of registering a "Dân vận khéo" model (model_flow.go).
	AskModelUnit  Screen = "model_unit"
	AskModelName  Screen = "model_name"
	AskModelField Screen = "model_field"
	AskModelStart Screen = "model_start"
	AskModelLevel Screen = "model_level"
	ModelCard     Screen = "model_confirm"
)

// State is one chat's conversation. It is small and JSON-encoded by the store; the answers
// themselves live in the Draft, keyed by person and report, so they outlive the chat.
type State struct {
	// Version grows with every step that changes the state. Buttons carry it, so a press on an
	// old keyboard is recognised, and stores use it to refuse a write that lost a race.
	Version int64  `json:"v"`
	Lang    Lang   `json:"lang,omitempty"`
	Screen  Screen `json:"screen,omitempty"`
	Key     Key    `json:"key,omitzero"`
	// Step is the index of the current question among those the form asks in Key's period.
	Step int `json:"step,omitempty"`
	// Pending is an answer waiting for the person to confirm a big change.
	Pending *int64 `json:"pending,omitempty"`
	// Editing is set when one answer is being changed from the summary: after it, back to the summary.
	Editing bool `json:"editing,omitempty"`
	// Invite is the invite an admin is putting together.
	Invite *Invite `json:"invite,omitempty"`
	// Place is the directory node whose children the invite screen lists.
	Place string `json:"place,omitempty"`
	// Seen is what the report screen was drawn from. A press is refused when the draft or the
	// submitted report moved since: changed from another chat, or by another organiser.
	Seen Seen `json:"seen,omitzero"`
	// Return is the submission a leader is sending back, while ReturnReason asks why.
	Return *ReturnTarget `json:"ret,omitempty"`
	// Model is the "Dân vận khéo" model being registered or recognised on the Model* screens.
	Model *ModelDraft `json:"model,omitempty"`
	// Sent is the report the step that led to this idle state submitted: a redraw (Redraw)
	// confirms it again. The next step clears it.
	Sent *Key `json:"sent,omitempty"`
}

// ReturnTarget names the version of a report a leader is returning.
type ReturnTarget struct {
	Key     Key `json:"key"`
	Version int `json:"v"`
}

// Seen holds the versions of a report's draft and submission a screen showed, and of the
// previous period's submission its "keep" button and big-change check read.
type Seen struct {
	Draft int64 `json:"d,omitempty"`
	Sub   int   `json:"s,omitempty"`
	Prev  int   `json:"p,omitempty"`
}
