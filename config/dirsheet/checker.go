package dirsheet

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"danvan/flows"
)

// Checker checks the sheets admins send in a chat against the directory in force, and renders
// that directory as a sheet for them to edit: the bot's port for directory sheets. It applies
// nothing: `danvan directory import` does, on the server, and the replicas load the result at
// their next start (README, "Directory").
type Checker struct {
	// Orgs and Dir are the configuration's organisations and the directory in force.
	Orgs []flows.Org
	Dir  *flows.Directory
	// Counter counts the reports stored for the directory's units; nil leaves the counts out.
	Counter Counter
	// Now and Loc give the day the summary counts entries in force on.
	Now func() time.Time
	Loc *time.Location
}

// CheckSheet checks the sheet in data, named name, against the directory in force. A sheet
// with errors is a result, not an error: error is for the store failing to count.
func (c *Checker) CheckSheet(ctx context.Context, name string, data []byte) (flows.DirectoryCheck, error) {
	today := c.today()
	res := Check(name, data, Current{Orgs: c.Orgs, Dir: c.Dir}, Options{Today: today})
	if res.Dir != nil && c.Counter != nil {
		if err := res.Count(ctx, c.Counter, today); err != nil {
			return flows.DirectoryCheck{}, err
		}
	}
	return res.Check, nil
}

// DirectorySheet renders the directory in force as a workbook to edit. Its Text, for a channel
// that cannot send the file, says what it holds and where else to get it.
func (c *Checker) DirectorySheet(_ context.Context, lang flows.Lang) (flows.File, error) {
	var buf bytes.Buffer
	nodes := c.Dir.Nodes()
	if err := WriteXLSX(&buf, c.Orgs, nodes); err != nil {
		return flows.File{}, fmt.Errorf("directory sheet: %w", err)
	}
	text := msg(
		fmt.Sprintf("Danh bạ: bảng %d dòng. Tệp bảng tính không gửi được qua kênh này; người vận hành có thể xuất tệp bằng lệnh danvan directory export.", len(nodes)),
		fmt.Sprintf("Directory: a sheet of %d rows. The spreadsheet cannot be sent on this channel; the operator can write it with danvan directory export.", len(nodes)))
	return flows.File{Name: "danh-ba.xlsx", Kind: flows.Document, MIME: XLSXMIME, Data: buf.Bytes(), Text: text.In(lang)}, nil
}

func (c *Checker) today() flows.Date {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t := now()
	if c.Loc != nil {
		t = t.In(c.Loc)
	}
	return flows.DateOf(t)
}
