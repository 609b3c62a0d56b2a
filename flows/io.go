package flows

// InputKind tells what arrived from the person.
type InputKind int

// The kinds of input. Media covers photos, stickers, voice and anything else that is not text.
const (
	TextInput InputKind = iota
	CommandInput
	ButtonInput
	MediaInput
)

// Input is one thing a person sent: text, a /command, a button press or a photo.
type Input struct {
	Kind    InputKind
	Text    string // the text typed, for TextInput
	Command string // "report" for "/report", without the slash or any @botname
	Args    string // what followed the command
	Data    string // a pressed button's data, for ButtonInput
}

// Button is one choice shown under a message. Transports without buttons show it as a numbered
// option and map the number back to Data.
type Button struct {
	Label string
	Data  string
}

// Reply is one message to the person. Text is plain text: transports escape it for their markup.
type Reply struct {
	Text    string
	Buttons [][]Button
	// Edit asks the transport to replace the message the pressed button sits under, where it can,
	// instead of sending a new one.
	Edit bool
	// Notice is the short answer to a button press (a toast on Telegram).
	Notice string
	// Free is set when the person is asked to type a figure: transports without buttons must
	// then not offer choices as bare numbers, which would read as answers.
	Free bool
}

// Effect is something a step asks the caller to make durable before its replies are sent.
type Effect interface{ effect() }

// SaveDraft stores d, provided the stored draft is still at version d.Version-1.
type SaveDraft struct{ Draft Draft }

// DropDraft deletes the person's draft of a report.
type DropDraft struct {
	Key    Key
	Person string
}

// Submit stores s as the new current version of its report and keeps the one it replaces in
// history, provided the stored version is still s.Version-1 and the submitter's draft is still
// at version Draft (the figures came from it); it empties that draft, whose version goes on.
type Submit struct {
	Submission Submission
	Form       Form  // to list what changed in the history entry
	Draft      int64 // version of the submitter's draft the figures come from; 0 for none
	// Replaces is the submission this one replaces, as the step saw it (nil for the first): the
	// store writes the history from it, and its version check makes sure it was the current one.
	Replaces *Submission
}

// CreateInvite stores a new one-time invite code.
type CreateInvite struct{ Invite Invite }

// SavePerson stores the person's own settings (language), and nothing else of the record.
type SavePerson struct{ Person Person }

func (SaveDraft) effect()    {}
func (DropDraft) effect()    {}
func (Submit) effect()       {}
func (CreateInvite) effect() {}
func (SavePerson) effect()   {}
