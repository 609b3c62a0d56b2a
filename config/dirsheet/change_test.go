package dirsheet

import (
	"context"
	"strings"
	"testing"

	"danvan/flows"
)

// edit returns the shipped directory's sheet with the rows of the 2023 city left out, the
// lines of replace changed and more appended.
func edit(tb testing.TB, cur Current, replace map[string]string, more string) []byte {
	tb.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(string(mustCSV(tb, cur)), "\n"), "\n") {
		if city2023(line) {
			continue
		}
		for old, repl := range replace {
			if strings.HasPrefix(line, old) {
				line = repl
			}
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n") + "\n" + more)
}

// city2023 reports whether a line of the shipped sheet is an entry of the 2023 city: its row,
// its places (parent laichau) and their units.
func city2023(line string) bool {
	for _, p := range []string{"laichau,", "03387,", "doanket,", "quyetthang,", "quyettien,", "dongphong,", "santhang,", "namloong,"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	for _, p := range []string{",laichau,", ",03387,", ",doanket,", ",quyetthang,", ",quyettien,", ",dongphong,", ",santhang,", ",namloong,"} {
		if strings.Contains(line, p) && strings.HasPrefix(line, ",") {
			return true
		}
	}
	return false
}

// A sheet that adds a commune, ends one and merges two into a third says so, keeps the entries it
// leaves out (the 2023 city) and counts the reports, all kept, those of ended units read only.
func TestChangeSummary(t *testing.T) {
	cur, _ := shipped(t)
	sheet := edit(t, cur, map[string]string{
		"lc-khoenon,":  "lc-khoenon,Xã Khoen On,12,,01/07/2025,31/12/2025,,Khoen On commune",
		"lc-muongkim,": "lc-muongkim,Xã Mường Kim,12,,01/07/2025,31/12/2025,,Muong Kim commune",
	}, "moi,Xã Mới,12,,01/01/2026,,\"lc-khoenon, lc-muongkim\",New commune\n"+
		",Hội LHPN xã Mới,moi,Hội LHPN,,,,\n")
	res := mustValid(t, "moi.csv", sheet, cur, Options{Today: today})
	if got := res.Check.Rows; got != len(cur.Dir.Nodes())-49+2 {
		t.Errorf("rows: got %d, want the shipped sheet's without the city's 49, and 2 more", got)
	}
	ch := res.Check.Change
	names := func(ts []flows.Text) string { return strings.Join(textsVi(ts), "; ") }
	if got, want := names(ch.Added), "Xã Mới; Hội LHPN · Xã Mới"; got != want {
		t.Errorf("added: got %q, want %q", got, want)
	}
	if got, want := names(ch.Ended), "Xã Mường Kim; Xã Khoen On"; got != want {
		t.Errorf("ended: got %q, want %q", got, want)
	}
	if len(ch.Merged) != 1 || ch.Merged[0].Name.Vi != "Xã Mới" || names(ch.Merged[0].From) != "Xã Khoen On; Xã Mường Kim" {
		t.Errorf("merged: got %+v, want Xã Mới from Khoen On and Mường Kim", ch.Merged)
	}
	if len(ch.Kept) != 49 || ch.KeptActive != 0 {
		t.Errorf("kept: got %d (%d in force), want the city's 49, none in force", len(ch.Kept), ch.KeptActive)
	}
	if got := mustNode(t, res.Dir, "tanphong-phunu"); got.Parent != "tanphong" {
		t.Errorf("a unit of the city kept: got %+v, want it under tanphong as before", got)
	}
	counts := countsOf{"tanphong-phunu": 3, "lc-khoenon-doan": 2, "lc-doanket-ccb": 1}
	if err := res.Count(context.Background(), counts, today); err != nil {
		t.Fatal(err)
	}
	if ch := res.Check.Change; ch.Submissions != 6 || ch.ReadOnly != 5 {
		t.Errorf("reports: got %d, %d read only; want 6, 5 (the city's and Khoen On's)", ch.Submissions, ch.ReadOnly)
	}
	text := res.Check.Text(flows.VI)
	for _, want := range []string{"➕ Thêm 2: Xã Mới, Hội LHPN · Xã Mới", "🔀 Sáp nhập 1: Xã Mới ← Xã Khoen On, Xã Mường Kim", "📌 49 mục", "🗂 Giữ nguyên toàn bộ 6 báo cáo đã nộp; 5 trong đó"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary: got %q, want it to hold %q", text, want)
		}
	}
}

// Replace drops what the sheet leaves out, and says which; a reference to a dropped entry is
// an error then.
func TestReplace(t *testing.T) {
	cur, _ := shipped(t)
	sheet := edit(t, cur, nil, "")
	res := Check("moi.csv", sheet, cur, Options{Today: today, Replace: true})
	if len(res.Check.Errors) == 0 {
		t.Fatalf("replace: got no error, want the merged_from of the 2025 wards naming the dropped city")
	}
	sameErrors(t, res.Check.Errors[:1], []flows.SheetError{{Row: 9, Column: "Sáp nhập từ", Msg: msg("không có đơn vị “03387”", "")}})

	sheet = edit(t, cur, map[string]string{"lc-tanphong,": "lc-tanphong,Phường Tân Phong,12,,01/07/2025,,,Tan Phong ward",
		"lc-doanket,": "lc-doanket,Phường Đoàn Kết,12,,01/07/2025,,,Doan Ket ward"}, "")
	res = mustValid(t, "moi.csv", sheet, cur, Options{Today: today, Replace: true})
	if len(res.Dropped) != 49 || len(res.Check.Change.Kept) != 0 {
		t.Errorf("dropped: got %d, kept %d; want the city's 49, none kept", len(res.Dropped), len(res.Check.Change.Kept))
	}
	if _, ok := res.Dir.Node("laichau"); ok {
		t.Errorf("the city: got it in the new directory, want it dropped")
	}
}

// A Mã that is the code of an entry in force keeps its id; the id written instead does too.
func TestCodesKeepIDs(t *testing.T) {
	cur, _ := shipped(t) // the city's tanphong has the code 03387
	sheet := "Mã,Tên,Cấp trên,Tổ chức\n03387,Phường Tân Phong (mới tên),laichau,\nquyetthang,Phường Quyết Thắng,laichau,\n,Hội LHPN,03387,Hội LHPN\n"
	res := mustValid(t, "a.csv", []byte(sheet), cur, Options{})
	if n := mustNode(t, res.Dir, "tanphong"); n.Code != "03387" || n.Name.Vi != "Phường Tân Phong (mới tên)" {
		t.Errorf("by code: got %+v, want tanphong renamed, code kept", n)
	}
	if n := mustNode(t, res.Dir, "tanphong-phunu"); n.Name.Vi != "Hội LHPN" {
		t.Errorf("a unit under it: got %+v, want tanphong-phunu renamed", n)
	}
	if got := res.Check.Change.Changed; got != 2 {
		t.Errorf("changed: got %d, want 2 (two renames)", got)
	}
	dup := "Mã,Tên,Cấp trên,Tổ chức\n03387,Phường Tân Phong,laichau,\ntanphong,Phường Tân Phong,laichau,\n"
	sameErrors(t, Check("b.csv", []byte(dup), cur, Options{}).Check.Errors,
		[]flows.SheetError{{Row: 3, Column: "Mã", Msg: msg("“tanphong” là cùng một mục với dòng 2", "")}})
}

type countsOf map[string]int

func (c countsOf) SubmissionCounts(_ context.Context, units []string) (map[string]int, error) {
	out := map[string]int{}
	for _, u := range units {
		if n := c[u]; n > 0 {
			out[u] = n
		}
	}
	return out, nil
}

func textsVi(ts []flows.Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Vi
	}
	return out
}

func mustNode(tb testing.TB, d *flows.Directory, id string) flows.Node {
	tb.Helper()
	n, ok := d.Node(id)
	if !ok {
		tb.Fatalf("entry %s: got none, want one", id)
	}
	return n
}
