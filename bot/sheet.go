package bot

import (
	"context"
	"errors"
	"fmt"

	"danvan/flows"
)

// Sheets serves directory sheets: it checks the one an admin sent against the directory in
// force, and renders that directory as a sheet to edit. It never applies one: that is the
// operator's import, read by every replica at start.
type Sheets interface {
	// CheckSheet reads the sheet in data, named name. A sheet with errors is a result; the
	// error is for what kept the check from being made (the store failing to count reports).
	CheckSheet(ctx context.Context, name string, data []byte) (flows.DirectoryCheck, error)
	// DirectorySheet renders the directory in force as a spreadsheet, its Text for channels
	// that cannot send it.
	DirectorySheet(ctx context.Context, lang flows.Lang) (flows.File, error)
}

// MaxSheetMB is the largest directory sheet the dispatcher reads, in MB: the nationwide
// directory is under 1 MB as a workbook, and Telegram lets bots download up to 20.
const MaxSheetMB = 10

const maxSheetBytes = MaxSheetMB << 20

// ErrTooBig is what Upload.Fetch wraps when the file is larger than the limit it was given.
var ErrTooBig = errors.New("file larger than the limit")

// checkSheet fetches the file in carries and checks it into env.Sheet, when the step wants it
// (an admin's document) and sheets are served; otherwise flows says the feature is off.
func (d *Dispatcher) checkSheet(ctx context.Context, env *flows.Env, w flows.Want, in Incoming) error {
	if !w.Sheet || d.Sheets == nil || in.Upload == nil {
		return nil
	}
	up := in.Upload
	if up.Size > maxSheetBytes {
		env.Sheet = &flows.DirectoryCheck{File: up.Name, TooBigMB: MaxSheetMB}
		return nil
	}
	data, err := up.Fetch(ctx, maxSheetBytes)
	if errors.Is(err, ErrTooBig) {
		env.Sheet = &flows.DirectoryCheck{File: up.Name, TooBigMB: MaxSheetMB}
		return nil
	}
	if err != nil {
		return fmt.Errorf("fetch the sheet %q: %w", up.Name, err)
	}
	c, err := d.Sheets.CheckSheet(ctx, up.Name, data)
	if err != nil {
		return fmt.Errorf("check the sheet %q: %w", up.Name, err)
	}
	env.Sheet = &c
	return nil
}

// directorySheet renders the directory for r, a reply that asks for it; a sheet that cannot be
// made becomes a kind message, as any file.
func (d *Dispatcher) directorySheet(ctx context.Context, in Incoming, lang flows.Lang, r flows.Reply) flows.Reply {
	if d.Sheets == nil {
		return flows.Reply{Text: r.Text + "\n\n" + flows.T(lang, "file_off")}
	}
	f, err := d.Sheets.DirectorySheet(ctx, lang)
	if err != nil {
		d.logger().ErrorContext(ctx, "render the directory sheet", "chat", in.Chat, "err", err)
		return flows.Reply{Text: r.Text + "\n\n" + flows.T(lang, "file_failed")}
	}
	r.File = &f
	return r
}
