package bot

import (
	"bytes"
	"context"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	// files names a helper of the transports' tests in this package.
	botfiles "danvan/bot/files"
	"danvan/config"
	"danvan/flows"
)

// filesFor is the botfiles.Maker main.go wires next to a dispatcher of settings, reading src.
func filesFor(src botfiles.FigureSource, s Settings) *botfiles.Maker {
	return &botfiles.Maker{Source: src, Dir: s.Dir, Forms: s.Forms, Calendar: s.Calendar, Indicators: s.Indicators}
}

// FileMaker is what mustDispatcher (helpers_test.go) wires as the dispatcher's Files: the
// botfiles.Maker of its Settings. It goes when those helpers move to internal/testkit, which
// will build the Maker itself.
type FileMaker struct {
	Source   botfiles.FigureSource
	Settings Settings
}

// File implements Files.
func (m *FileMaker) File(ctx context.Context, p flows.Person, a flows.Attachment, lang flows.Lang) (flows.File, error) {
	return filesFor(m.Source, m.Settings).File(ctx, p, a, lang)
}

// figureFake is a FigureSource over a few submissions, its tallies summed with
// flows.Contribution as the store keeps them: enough for the transports' file tests. (The files
// package has the full fixture; both go to internal/testkit.)
type figureFake struct {
	dir  *flows.Directory
	inds []flows.Indicator
	cal  flows.Calendar
	subs map[flows.Key]flows.Submission
}

func (f *figureFake) Tallies(_ context.Context, keys []flows.TallyKey) (map[flows.TallyKey]flows.Tally, error) {
	out := map[flows.TallyKey]flows.Tally{}
	for _, k := range keys {
		per, _ := f.cal.Period(k.Period)
		var t flows.Tally
		for key, s := range f.subs {
			n, ok := f.dir.Node(key.Unit)
			if ok && key.Period == k.Period && key.Form == k.Form && f.dir.Within(key.Unit, k.Node) && (k.Org == flows.AllOrgs || n.Org == k.Org) {
				t.Add(flows.Contribution(&s, f.inds, per.Due))
			}
		}
		out[k] = t
	}
	return out, nil
}

func (f *figureFake) Submissions(_ context.Context, period string, units, forms []string) (map[flows.Key]flows.Submission, error) {
	out := map[flows.Key]flows.Submission{}
	for k, s := range f.subs {
		if k.Period == period && slices.Contains(units, k.Unit) && slices.Contains(forms, k.Form) {
			out[k] = s
		}
	}
	return out, nil
}

func (f *figureFake) People(context.Context, []string) (map[string]flows.Person, error) {
	return map[string]flows.Person{}, nil
}

// mustFiles is a files.Maker on the default configuration with two Membership reports of Tân
// Phong for 2026-Q1: the Women's Union's on time, the Youth Union's late.
func mustFiles(tb testing.TB) *botfiles.Maker {
	tb.Helper()
	cfg := config.Default()
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	s := Settings{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Targets}
	src := &figureFake{dir: dir, inds: cfg.Targets, cal: s.Calendar, subs: map[flows.Key]flows.Submission{}}
	for unit, day := range map[string]int{"tanphong-phunu": 10, "tanphong-doan": 20} {
		k := flows.Key{Unit: unit, Period: "2026-Q1", Form: "membership"}
		at := time.Date(2026, 3, day, 9, 0, 0, 0, cfg.Location())
		src.subs[k] = flows.Submission{Key: k, By: "tg:1", At: at, Version: 1, Ref: flows.Reference(k, 1, at),
			Values: map[string]int64{"eligible": 1000, "members": 900, "new_members": 12, "active": 850}}
	}
	return filesFor(src, s)
}

// mustFile renders attachment a for p, failing the test on error.
func mustFile(tb testing.TB, m Files, p flows.Person, a flows.Attachment) flows.File {
	tb.Helper()
	f, err := m.File(context.Background(), p, a, flows.VI)
	if err != nil {
		tb.Fatalf("File(%+v): %v", a, err)
	}
	return f
}

func TestTelegramSendsChartAsPhoto(t *testing.T) {
	m := mustFiles(t)
	city := flows.Person{ID: "tg:8", Scopes: []string{"laichau"}}
	f := mustFile(t, m, city, flows.Attachment{Kind: flows.ChartFile, Period: "2026-Q1", Indicator: "1.5"})
	x := newTgHarness(t, nil, nil)
	btn := [][]flows.Button{{{Label: "⬅️ Quay lại", Data: "*|fig|laichau"}}}
	x.h.reply = tgReplies(flows.Reply{Text: "Biểu đồ chỉ tiêu 1.5 <Quý I>", Buttons: btn, File: &f})
	x.fake.Push(fakeTGText(8, "/chart 1.5"))
	x.run(t)
	req := x.fake.WaitRequests("sendPhoto", 1, tgWait)[0]
	x.stop(t)
	if got, want := req.Params["caption"], "Biểu đồ chỉ tiêu 1.5 &lt;Quý I&gt;"; got != want {
		t.Errorf("caption: got %q, want %q", got, want)
	}
	if got := req.Buttons(); !reflect.DeepEqual(got, btn) {
		t.Errorf("buttons: got %v, want %v", got, btn)
	}
	up := x.fake.Upload("sendPhoto", "photo", 0)
	if _, err := png.Decode(bytes.NewReader(up)); err != nil || !bytes.Equal(up, f.Data) {
		t.Errorf("uploaded photo: got %d bytes (decoding: %v), want the chart's %d bytes", len(up), err, len(f.Data))
	}
	if got := len(x.fake.Requests("sendMessage")); got != 0 {
		t.Errorf("sendMessage calls: got %d, want 0 (the text is the caption)", got)
	}
}

func TestTelegramSendsSheetAsDocument(t *testing.T) {
	m := mustFiles(t)
	ward := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}}
	f := mustFile(t, m, ward, flows.Attachment{Kind: flows.SheetFile, Period: "2026-Q1"})
	x := newTgHarness(t, nil, nil)
	long := strings.Repeat("Đã báo cáo 2/5 đơn vị. ", 60) // over the 1024-character caption limit
	if err := x.tg.Send(context.Background(), "tg:7", flows.Reply{Text: long, File: &f}); err != nil {
		t.Fatalf("Send: got %v, want nil", err)
	}
	msgs := x.fake.Requests("sendMessage")
	docs := x.fake.Requests("sendDocument")
	if len(msgs) != 1 || len(docs) != 1 || msgs[0].MessageID > docs[0].MessageID {
		t.Fatalf("calls: got %d messages and %d documents, want the text first, then the file", len(msgs), len(docs))
	}
	if got := docs[0].Params["caption"]; got != "" {
		t.Errorf("caption: got %q, want none (the text went first)", got)
	}
	xf := mustOpenXLSX(t, x.fake.Upload("sendDocument", "document", 0))
	sh := "Sinh hoạt & hội viên"
	if got := mustCell(t, xf, sh, "C1"); got != "Đơn vị" {
		t.Errorf("C1: got %q, want %q", got, "Đơn vị")
	}
	rows, _ := xf.GetRows(sh)
	if len(rows) != 6 {
		t.Errorf("rows: got %d, want 6 (header and Tân Phong's 5 units)", len(rows))
	}
	if got := findRow(t, xf, sh, "Đoàn phường Tân Phong")[9]; got != "trễ" {
		t.Errorf("status: got %q, want trễ", got)
	}
}
