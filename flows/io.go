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

// String names the kind in one word, "text", "command", "button" or "media": what logs and
// metrics label an update with.
func (k InputKind) String() string {
	switch k {
	case TextInput:
		return "text"
	case CommandInput:
		return "command"
	case ButtonInput:
		return "button"
	case MediaInput:
		return "media"
	}
	return "unknown"
}

// Input is one thing a person sent: text, a /command, a button press or a photo.
type Input struct {
	Kind    InputKind
	Text    string // the text typed, for TextInput
	Command string // "report" for "/report", without the slash or any @botname
	Args    string // what followed the command
	Data    string // a pressed button's data, for ButtonInput
	// File is the name of a file sent as a document ("danh-ba.xlsx"), for MediaInput: an
	// admin's may be a directory sheet (Want.Sheet). The caller holds its bytes.
	File string
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
	// CSVSemiFile is CSVFile separated by semicolons, as Excel expects under a Vietnamese
	// locale, where the comma is the decimal mark.
	CSVSemiFile AttachKind = "csv;"
	DocFile     AttachKind = "docx" // the draft of the period's written report (Word)
	// DirectoryFile is the directory in force as the admin's spreadsheet, to edit and send back.
	DirectoryFile AttachKind = "directory"
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
