package storage

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/flows"
)

func TestFileRoundTrip(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	tests := []struct {
		name, token string
		file        flows.File
	}{
		{"chart", "tok-chart", flows.File{Name: "chi-tieu-1.5.png", Kind: flows.Photo, MIME: "image/png", Data: []byte("\x89PNG\x00\xff")}},
		{"sheet", "tok-sheet", flows.File{Name: "số liệu.xlsx", Kind: flows.Document, MIME: "application/vnd.ms-excel", Data: []byte("XLSX")}},
		{"empty", "tok-empty", flows.File{Name: "empty.csv", Kind: flows.Document, MIME: "text/csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withText := tt.file
			withText.Text = "only for channels without files"
			if ok, err := s.PutFile(ctx, "zalo:1", tt.token, withText, time.Hour, 20); !ok || err != nil {
				t.Fatalf("PutFile: got %v, %v, want true, nil", ok, err)
			}
			got, err := s.File(ctx, tt.token)
			want := tt.file
			if want.Data == nil {
				want.Data = []byte{}
			}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("File: got %+v, %v, want %+v", got, err, want)
			}
			if ttl := pttl(t, s, s.key("file", tt.token)); ttl <= 59*time.Minute || ttl > time.Hour {
				t.Errorf("file PTTL: got %v, want about 1h", ttl)
			}
		})
	}
}

func TestFileNotFound(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	if _, err := s.PutFile(ctx, "zalo:1", "tok-old", flows.File{Name: "a.png", Data: []byte("PNG")}, time.Hour, 20); err != nil {
		t.Fatal(err)
	}
	// Its hour is up: Redis forgets the key at once when its expiry lies in the past.
	if err := s.rdb.PExpireAt(ctx, s.key("file", "tok-old"), time.Unix(1, 0)).Err(); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"tok-old", "guessed", ""} {
		_, err := s.File(ctx, token)
		if !errors.Is(err, flows.ErrNotFound) {
			t.Errorf("File(%q): got %v, want ErrNotFound", token, err)
		}
		if token != "" && strings.Contains(err.Error(), token) {
			t.Errorf("File(%q): got error %q, want it without the token (logs must not let anyone fetch the file)", token, err)
		}
	}
	if _, err := s.PutFile(ctx, "zalo:1", "tok-0", flows.File{Name: "a.png"}, 0, 20); err == nil {
		t.Errorf("PutFile with no TTL: got nil, want an error (the file would never expire)")
	}
}

// A chat's files past its hourly limit are not kept; another chat's still are, and the count
// starts again when its hour is up.
func TestPutFileLimit(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	f := flows.File{Name: "a.png", Data: []byte("PNG")}
	steps := []struct {
		chat, token string
		want        bool
	}{
		{"zalo:1", "tok-1", true},
		{"zalo:1", "tok-2", true},
		{"zalo:1", "tok-3", false},
		{"zalo:2", "tok-4", true},
	}
	for _, st := range steps {
		ok, err := s.PutFile(ctx, st.chat, st.token, f, time.Hour, 2)
		if ok != st.want || err != nil {
			t.Errorf("PutFile %s for %s: got %v, %v, want %v, nil", st.token, st.chat, ok, err, st.want)
		}
		if _, err := s.File(ctx, st.token); errors.Is(err, flows.ErrNotFound) == st.want {
			t.Errorf("File %s: got %v, want it kept %v", st.token, err, st.want)
		}
	}
	if ttl := pttl(t, s, s.key("fput", "zalo:1")); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("count PTTL: got %v, want about 1h", ttl)
	}
	if err := s.rdb.PExpireAt(ctx, s.key("fput", "zalo:1"), time.Unix(1, 0)).Err(); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.PutFile(ctx, "zalo:1", "tok-5", f, time.Hour, 2); !ok || err != nil {
		t.Errorf("PutFile after the hour: got %v, %v, want true, nil", ok, err)
	}
}

func TestMenuSegments(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	steps := []struct {
		name    string
		seg     string // "" reads only
		replace bool
		want    []string // what AddMenu returns
		menu    []string // what Menu then reads
	}{
		{"never shown", "", false, nil, nil},
		{"pushed", "r1", false, []string{"r1"}, []string{"r1"}},
		{"pushed again", "r2", false, []string{"r1", "r2"}, []string{"r1", "r2"}},
		{"replied", "q", true, []string{"q"}, []string{"q"}},
		{"pushed after", "r3", false, []string{"q", "r3"}, []string{"q", "r3"}},
	}
	for _, st := range steps {
		if st.seg != "" {
			got, err := s.AddMenu(ctx, "zalo:1", []byte(st.seg), st.replace, 24*time.Hour)
			if err != nil || !reflect.DeepEqual(strs(got), st.want) {
				t.Errorf("%s: AddMenu: got %q, %v, want %q", st.name, got, err, st.want)
			}
		}
		if got, err := s.Menu(ctx, "zalo:1"); err != nil || !reflect.DeepEqual(strs(got), st.menu) {
			t.Errorf("%s: Menu: got %q, %v, want %q", st.name, got, err, st.menu)
		}
	}
	if ttl := pttl(t, s, s.key("zmenus", "zalo:1")); ttl <= 23*time.Hour || ttl > 24*time.Hour {
		t.Errorf("menu PTTL: got %v, want about 24h", ttl)
	}
	if err := s.rdb.PExpireAt(ctx, s.key("zmenus", "zalo:1"), time.Unix(1, 0)).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Menu(ctx, "zalo:1"); err != nil || got != nil {
		t.Errorf("Menu after its TTL: got %q, %v, want nil, nil", got, err)
	}
	if got, err := s.Menu(ctx, "zalo:2"); err != nil || got != nil {
		t.Errorf("another chat's Menu: got %q, %v, want nil, nil", got, err)
	}
	if _, err := s.AddMenu(ctx, "zalo:1", []byte("{}"), true, 0); err == nil {
		t.Errorf("AddMenu with no TTL: got nil, want an error")
	}
}

// A full menu takes no more pushes and keeps its segments as they were; a reply starts it again.
func TestMenuFull(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	var want []string
	for i := range MenuSegments {
		seg := fmt.Sprintf("s%d", i)
		want = append(want, seg)
		if got, err := s.AddMenu(ctx, "zalo:1", []byte(seg), i == 0, time.Hour); err != nil || !reflect.DeepEqual(strs(got), want) {
			t.Fatalf("AddMenu %s: got %q, %v, want %q", seg, got, err, want)
		}
	}
	if got, err := s.AddMenu(ctx, "zalo:1", []byte("over"), false, time.Hour); err != nil || got != nil {
		t.Errorf("AddMenu to a full menu: got %q, %v, want nil, nil", got, err)
	}
	if got, err := s.Menu(ctx, "zalo:1"); err != nil || !reflect.DeepEqual(strs(got), want) {
		t.Errorf("Menu: got %q, %v, want %q", got, err, want)
	}
	if got, err := s.AddMenu(ctx, "zalo:1", []byte("q"), true, time.Hour); err != nil || !reflect.DeepEqual(strs(got), []string{"q"}) {
		t.Errorf("AddMenu replacing a full menu: got %q, %v, want [q]", got, err)
	}
}

// Pushes from many clients at once each get the segments before their own, and no two the same
// place in the menu.
func TestMenuConcurrentPushes(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	other := storeAt(t, s.prefix)
	if _, err := s.AddMenu(ctx, "zalo:1", []byte("q"), true, time.Hour); err != nil {
		t.Fatal(err)
	}
	const n = MenuSegments - 1
	got := make([][][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			st := []*Store{s, other}[i%2]
			segs, err := st.AddMenu(ctx, "zalo:1", []byte(fmt.Sprintf("r%d", i)), false, time.Hour)
			if err != nil {
				t.Errorf("AddMenu r%d: %v", i, err)
			}
			got[i] = segs
		})
	}
	wg.Wait()
	menu, err := s.Menu(ctx, "zalo:1")
	if err != nil || len(menu) != n+1 {
		t.Fatalf("Menu: got %q, %v, want %d segments", menu, err, n+1)
	}
	seen := map[int]bool{}
	for i, segs := range got {
		at := len(segs) - 1
		if at < 1 || seen[at] || string(segs[at]) != fmt.Sprintf("r%d", i) || !reflect.DeepEqual(segs, menu[:at+1]) {
			t.Errorf("r%d: got %q, want the menu up to its own segment, at a place of its own (menu %q)", i, segs, menu)
		}
		seen[at] = true
	}
}

func strs(bs [][]byte) []string {
	var out []string
	for _, b := range bs {
		out = append(out, string(b))
	}
	return out
}
