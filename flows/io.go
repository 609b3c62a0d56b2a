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
	// Attach asks the caller to make a file (a chart, a spreadsheet) and send it with this reply:
	// flows decides what is shown, the bot loads the data and renders the bytes into File.
	Attach *Attachment
	// File is the rendered attachment, filled in by the bot before the reply reaches a
	// transport; Text is then its caption.
	File *File
}

// AttachKind names what an Attachment is.
type AttachKind string

// The attachments the bot can render.
const (
	ChartFile AttachKind = "chart" // a PNG bar chart of one indicator
	SheetFile AttachKind = "xlsx"  // the period's figures as an Excel workbook
	CSVFile   AttachKind = "csv"   // the same, one CSV per form
)

// Attachment describes a file to make: what, for which period, and over which part of the
// directory. Scope has been checked by flows against the person's roles.
type Attachment struct {
	Kind      AttachKind
	Period    string // period id
	Node      string // directory node ("" for everything the person may see)
	Org       string // organisation filter, "" for all
	Indicator string // for a chart
	// By groups a chart's bars: "node" (the places below Node) or "org" (the organisations).
	By string
}

// FileKind tells a transport how to send a File.
type FileKind string

// The ways a file is sent.
const (
	Photo    FileKind = "photo"    // shown inline (sendPhoto)
	Document FileKind = "document" // a download (sendDocument)
)

// File is a rendered attachment.
type File struct {
	Name string // "chi-tieu-1.5-2026-Q1.png"
	Kind FileKind
	MIME string
	Data []byte
	// Text is the file's content as plain text, for a channel that cannot show the file: a
	// chart's values a line per bar, a spreadsheet's summary.
	Text string
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

// SavePerson stores the person's own settings (language, preferred channel), and nothing else
// of the record.
type SavePerson struct{ Person Person }

// Notify asks the caller to send replies to another person (by Person.ID) once the step's other
// effects are stored: an organiser told their report was returned, a nudge from a leader. It is
// not stored; a failure to deliver is logged, never undone.
type Notify struct {
	To      string
	Replies []Reply
}

// ReturnSubmission sends version Version of report Key back to its unit for correction, provided
// it is still the current version; the store counts the unit as not reported until it submits
// again and keeps the return in the report's history.
type ReturnSubmission struct {
	Key     Key
	Version int
	Return  Return
}

// Remind asks the caller to remind, now, the organisers of Units who have not submitted Period:
// a leader's "Nhắc ngay" or "Nhắc tất cả" (Nudge: at most once a day per unit) or an admin's
// /remind (All: every unit; never implied by an empty Units, which reminds nobody).
type Remind struct {
	Period string
	Units  []string
	All    bool
	By     string
	Nudge  bool
}

func (SaveDraft) effect()        {}
func (ReturnSubmission) effect() {}
func (Remind) effect()           {}
func (DropDraft) effect()        {}
func (Submit) effect()           {}
func (CreateInvite) effect()     {}
func (SavePerson) effect()       {}
func (Notify) effect()           {}
