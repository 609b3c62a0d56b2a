package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"danvan/config"
	"danvan/config/dirsheet"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// directoryEnv is the environment of the directory commands and the bot on the test Redis
// under prefix, the directory file in dir.
func directoryEnv(prefix, dir string) map[string]string {
	return map[string]string{"REDIS_URL": "redis://" + redistest.Addr() + "/0", "REDIS_PREFIX": prefix,
		"DIRECTORY_FILE": filepath.Join(dir, "units.yaml")}
}

// mustRun runs a danvan command and returns what it printed.
func mustRun(tb testing.TB, env map[string]string, args ...string) string {
	tb.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), args, nil, &out, testkit.Env(env)); err != nil {
		tb.Fatalf("danvan %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// botOn is what the bot does at start on the configuration env names: load it, build the
// dispatcher (which hands the store its directory) and recount the tallies.
func botOn(tb testing.TB, env map[string]string, store *storage.Store, now time.Time) config.Config {
	tb.Helper()
	cfg, err := config.Load(nil, testkit.Env(env))
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := newDispatcher(cfg, store, func() time.Time { return now }, quiet); err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Recount(tb.Context(), cfg.Forms, now); err != nil {
		tb.Fatalf("recount: %v", err)
	}
	return cfg
}

// reports reads every report the store holds for the units dir ever had.
func reports(tb testing.TB, store *storage.Store, dir *flows.Directory, keys []flows.Key) (map[string]int, map[flows.Key]flows.Submission) {
	tb.Helper()
	var units []string
	for _, n := range dir.History().Units("") {
		units = append(units, n.ID)
	}
	counts, err := store.SubmissionCounts(tb.Context(), units)
	if err != nil {
		tb.Fatal(err)
	}
	subs := map[flows.Key]flows.Submission{}
	for _, k := range keys {
		if subs[k], err = store.Submission(tb.Context(), k); err != nil {
			tb.Fatalf("report %s: %v", k, err)
		}
	}
	return counts, subs
}

// An admin's sheet ends two communes of Lai Châu at the end of 2025 and merges them into a new
// one; the import writes the directory file, and the bot restarted on it keeps every report
// (count before = after, each the same), the province's figures of the periods filed, the old
// units read only and the new one continuing them.
func TestDirectoryImportKeepsReports(t *testing.T) {
	ctx, vn := t.Context(), time.FixedZone("ICT", 7*3600)
	env := directoryEnv(redistest.Prefix(t, "dirimport"), t.TempDir())
	store := storage.New(redistest.Client(redistest.Addr()), env["REDIS_PREFIX"])
	t.Cleanup(func() { _ = store.Close() })
	now := time.Date(2026, 1, 20, 9, 0, 0, 0, vn)
	before := maps.Clone(env)
	delete(before, "DIRECTORY_FILE") // the built-in directory: no directory file yet
	cfg := botOn(t, before, store, now)
	var keys []flows.Key
	for unit, period := range map[string]string{"tanphong-phunu": "2025-H1", "dongphong-phunu": "2025-H1", "santhang-phunu": "2025-H1",
		"lc-muongkim-phunu": "2025-Q3", "lc-khoenon-phunu": "2025-Q3", "lc-khoenon-doan": "2025-Q3"} {
		keys = append(keys, mustFile(t, store, cfg, unit, period, time.Date(2025, 9, 1, 9, 0, 0, 0, vn)))
	}
	dir0, _ := cfg.Directory()
	counts0, subs0 := reports(t, store, dir0, keys)
	tallies := []flows.TallyKey{{Period: "2025-H1", Node: "lc", Org: flows.AllOrgs, Form: "membership"},
		{Period: "2025-Q3", Node: "lc", Org: flows.AllOrgs, Form: "membership"}}
	tallies0, err := store.Tallies(ctx, tallies)
	if err != nil {
		t.Fatal(err)
	}

	sheet := filepath.Join(t.TempDir(), "danh-ba.csv")
	edited := editLines(mustRun(t, env, "directory", "export"), map[string]string{
		"lc-muongkim,": "lc-muongkim,Xã Mường Kim,12,,01/07/2025,31/12/2025,,Muong Kim commune",
		"lc-khoenon,":  "lc-khoenon,Xã Khoen On,12,,01/07/2025,31/12/2025,,Khoen On commune",
	}) + "lc-moi,Xã Mới,12,,01/01/2026,,\"lc-muongkim, lc-khoenon\",New commune\n,Hội LHPN xã Mới,lc-moi,Hội LHPN,,,,\n"
	if err := os.WriteFile(sheet, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, env, "directory", "import", sheet)
	for _, want := range []string{"➕ Thêm 2: Xã Mới, Hội LHPN · Xã Mới", "⏹ Kết thúc 2: Xã Mường Kim, Xã Khoen On",
		"🗂 Giữ nguyên toàn bộ 6 báo cáo đã nộp", "wrote 286 entries to " + env["DIRECTORY_FILE"]} {
		testkit.MustContain(t, out, want)
	}

	cfg = botOn(t, env, store, now) // restarted on the directory file
	dir1, _ := cfg.Directory()
	if _, ok := dir1.Node("lc-moi-phunu"); !ok {
		t.Fatalf("the new commune's unit: got none in the directory loaded, want lc-moi-phunu")
	}
	counts1, subs1 := reports(t, store, dir1, keys)
	if !reflect.DeepEqual(counts1, counts0) || !reflect.DeepEqual(subs1, subs0) {
		t.Errorf("reports after the change: got %v, want the same as before, %v", counts1, counts0)
	}
	if got, err := store.Tallies(ctx, tallies); err != nil || !reflect.DeepEqual(got, tallies0) {
		t.Errorf("the province's figures of 2025: got %v, %v; want them as before, %v", got, err, tallies0)
	}
	q1 := time.Date(2026, 3, 1, 9, 0, 0, 0, vn)
	old := flows.Person{ID: "tg:1", Units: []string{"lc-muongkim-phunu"}}
	if qs := flows.ReportQueries(old, dir1, cfg.Forms, cfg.FlowsCalendar(), q1); len(qs) != 0 {
		t.Errorf("an ended unit in 2026: got %d reports to make, want none (read only)", len(qs))
	}
	heir := flows.Person{ID: "tg:2", Units: []string{"lc-moi-phunu"}}
	qs := flows.ReportQueries(heir, dir1, cfg.Forms, cfg.FlowsCalendar(), q1)
	if len(qs) == 0 || !slices.Equal(qs[0].Before, []string{"lc-muongkim-phunu", "lc-khoenon-phunu"}) {
		t.Errorf("the new unit's previous figures: got %+v, want its predecessors'", qs)
	}
}

// mustFile stores version 1 of unit's Membership report for period, filed at at.
func mustFile(tb testing.TB, store *storage.Store, cfg config.Config, unit, period string, at time.Time) flows.Key {
	tb.Helper()
	k := flows.Key{Unit: unit, Period: period, Form: "membership"}
	sub := flows.Submission{Key: k, By: "tg:1", At: at, Version: 1, Ref: flows.Reference(k, 1, at),
		Values: map[string]int64{"eligible": 500, "members": 400, "new_members": 10, "active": 300}}
	if err := store.Apply(tb.Context(), []flows.Effect{flows.Submit{Submission: sub, Form: cfg.Forms[0]}}); err != nil {
		tb.Fatalf("file %s: %v", k, err)
	}
	return k
}

// editLines replaces the lines of text that start with a key of repl.
func editLines(text string, repl map[string]string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		for prefix, with := range repl {
			if strings.HasPrefix(l, prefix) {
				lines[i] = with + "\n"
			}
		}
	}
	return strings.Join(lines, "")
}

// The commands: export writes CSV or a workbook that imports back unchanged; a sheet with errors
// prints them at their rows and columns and writes nothing; -check writes nothing; -replace is
// refused while the units it would drop hold reports; the bot refuses to start on a directory
// file that is missing.
func TestDirectoryCommands(t *testing.T) {
	tmp := t.TempDir()
	env := directoryEnv(redistest.Prefix(t, "dircmd"), tmp)
	unitsFile := env["DIRECTORY_FILE"]
	book := filepath.Join(tmp, "danh-ba.xlsx")
	mustRun(t, env, "directory", "export", "-o", book)
	out := mustRun(t, env, "directory", "import", "-check", book)
	testkit.MustContain(t, out, "Không có thay đổi nào so với danh bạ đang dùng.")
	if _, err := os.Stat(unitsFile); !os.IsNotExist(err) {
		t.Errorf("-check: got a directory file (%v), want none written", err)
	}
	if _, err := config.Load(nil, testkit.Env(env)); err == nil || !strings.Contains(err.Error(), "danvan directory import") {
		t.Errorf("start without the directory file: got %v, want an error saying how to write it", err)
	}
	mustRun(t, env, "directory", "import", book)
	csv := mustRun(t, env, "directory", "export")
	if !strings.HasPrefix(csv, "\uFEFFMã,Tên,Cấp trên,Tổ chức,Hiệu lực từ,Hiệu lực đến,Sáp nhập từ,Tên tiếng Anh\n") {
		t.Errorf("export: got %q, want CSV with a BOM and the headers", csv[:min(len(csv), 120)])
	}
	written, _ := os.ReadFile(unitsFile)

	bad := filepath.Join(tmp, "bad.csv")
	if err := os.WriteFile(bad, []byte(csv+"xa-moi,Xã Mới,xa-abc,,,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	err := run(context.Background(), []string{"directory", "import", bad}, nil, &printed, testkit.Env(env))
	if err == nil || !strings.Contains(err.Error(), "1 errors; nothing written") {
		t.Errorf("import of a sheet with an error: got %v, want it refused", err)
	}
	testkit.MustContain(t, printed.String(), "Dòng 286, cột Cấp trên: không có đơn vị “xa-abc”")
	if now, _ := os.ReadFile(unitsFile); !bytes.Equal(now, written) {
		t.Errorf("directory file after a refused import: got it changed, want it as it was")
	}

	store := storage.New(redistest.Client(redistest.Addr()), env["REDIS_PREFIX"])
	t.Cleanup(func() { _ = store.Close() })
	cfg, _ := config.Load(nil, testkit.Env(env))
	mustFile(t, store, cfg, "tanphong-phunu", "2025-H1", time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	province := filepath.Join(tmp, "province.csv")
	if err := os.WriteFile(province, []byte(strings.Join(strings.SplitAfter(csv, "\n")[:8], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"directory", "import", "-replace", province}, nil, io.Discard, testkit.Env(env))
	if err == nil || !strings.Contains(err.Error(), "-replace would drop") || !strings.Contains(err.Error(), "tanphong-phunu") {
		t.Errorf("-replace over reports: got %v, want it refused", err)
	}
	got := dirsheet.Check("x.csv", []byte(csv), dirsheet.Current{Orgs: cfg.Orgs}, dirsheet.Options{})
	if !got.Check.Valid() {
		t.Errorf("the exported CSV: got %v, want a valid sheet", got.Check.Errors)
	}
}
