package storage

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
	"danvan/internal/redistest"
)

// populate fills s through its own API with one of every kind of key: people and identities,
// a leader, a session with a draft, submissions with history (a return and a resubmission),
// tallies, reminder claims, sent marks, a snooze and a nudge, an invite and a wrong code, a
// claimed update, a served file (binary), a Zalo menu, and the key schema. A few keys Redis can
// hold but the store does not write (a sorted set, odd bytes) are added by hand.
func populate(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("link organiser", s.Link(ctx, "tg:1", flows.Person{ID: "tg:1", Name: "Chị Mai", Units: []string{"w1-pn", "w2-pn"}}))
	must("link zalo", s.Link(ctx, "zalo:abc", flows.Person{ID: "tg:1", Name: "Chị Mai", Units: []string{"w1-pn", "w2-pn"}}))
	must("link leader", s.Link(ctx, "tg:9", flows.Person{ID: "tg:9", Scopes: []string{"city"}}))
	k := flows.Key{Unit: "w2-pn", Period: "2026-Q1", Form: "membership"}
	d := flows.Draft{Key: k, Person: "tg:1", Answers: map[string]int64{"eligible": 1250}, Version: 1, Updated: day, Until: day.Add(30 * 24 * time.Hour)}
	_, err := s.Commit(ctx, "tg:1", "upd-1", flows.State{Version: 1, Screen: "question", Key: k}, 0, []flows.Effect{flows.SaveDraft{Draft: d}}, nil)
	must("commit", err)

	v1 := tsub("w1-pn", "membership", 1, dueQ1, dueQ1, map[string]int64{"eligible": 1250, "members": 1100})
	ret := flows.Return{By: "tg:9", At: dueQ1.Add(time.Hour), Reason: "thiếu số liệu \"hội viên\"\nxin bổ sung"}
	returned := v1
	returned.Returned = &ret
	v2 := tsub("w1-pn", "membership", 2, dueQ1.Add(2*time.Hour), dueQ1, map[string]int64{"eligible": 1250, "members": 1110})
	mustApply(t, s, flows.Submit{Submission: v1, Form: testForm},
		flows.ReturnSubmission{Key: v1.Key, Version: 1, Return: ret},
		flows.Submit{Submission: v2, Form: testForm, Replaces: &returned},
		flows.Submit{Submission: tsub("w3-dn", "activity", 1, dueQ1, dueQ1, map[string]int64{"models": 1})},
		flows.CreateInvite{Invite: flows.Invite{Code: "ABC123", Role: flows.Organiser, Nodes: []string{"w2-pn"}, By: "tg:9", Created: day, Expires: day.Add(7 * 24 * time.Hour)}},
		flows.Snooze{Person: "tg:1", Period: "2026-Q1", Until: day.Add(24 * time.Hour)})

	_, err = s.ClaimReminder(ctx, "2026-Q1", "-2d", "tg:1", "host-a", day, 5*time.Minute)
	must("claim reminder", err)
	must("done reminder", s.DoneReminder(ctx, "2026-Q1", "-7d", "tg:1"))
	_, err = s.NudgeOnce(ctx, "w2-pn", "2026-03-20", flows.Nudge{By: "tg:9", At: day})
	must("nudge", err)
	_, err = s.Failure(ctx, "tg:5", time.Hour)
	must("failure", err)
	_, err = s.Claim(ctx, "upd-2")
	must("claim update", err)
	chart := flows.File{Name: "chi-tieu-1.5.png", Kind: "chart", MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\n\x00\xff\xfe")}
	_, err = s.PutFile(ctx, "zalo:abc", "tok1", chart, time.Hour, 20)
	must("put file", err)
	_, err = s.AddMenu(ctx, "zalo:abc", []byte(`{"buttons":[{"text":"Gửi"}]}`), true, 24*time.Hour)
	must("add menu", err)
	_, err = s.Migrate(ctx, nil)
	must("migrate", err)

	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAdd(ctx, s.prefix+"odd:zset", redis.Z{Member: "a", Score: 1.5}, redis.Z{Member: "b\xff", Score: -2})
		p.Set(ctx, s.prefix+"odd:\xc3\x28bytes", " {\"spaced\": 1} ", 0)
		p.HSet(ctx, s.prefix+"odd:hash\n", "f\xff", "[1, 2]", "g", "{}")
		p.RPush(ctx, s.prefix+"odd:list", "", "x", "[", "{\n}")
		return nil
	})
	must("odd keys", err)
}

// keyState is one key as a test reads it, independently of Dump: type, value in a canonical
// text, time to live (-1 when none).
type keyState struct {
	typ, val string
	ttl      time.Duration
}

// readPrefix reads every key under s's prefix, by name without the prefix. A set member that
// starts with the prefix (the tally sets hold key names) is written with "P:" instead, so two
// prefixes compare.
func readPrefix(t *testing.T, s *Store) map[string]keyState {
	t.Helper()
	ctx := t.Context()
	out := map[string]keyState{}
	var (
		mu   sync.Mutex
		keys []string
	)
	err := s.forEachNode(ctx, func(ctx context.Context, c *redis.Client) error {
		ks, err := c.Keys(ctx, matchPrefix(s.prefix)).Result()
		mu.Lock()
		defer mu.Unlock()
		keys = append(keys, ks...)
		return err
	})
	if err != nil {
		t.Fatalf("keys: %v", err)
	}
	for _, k := range keys {
		st := keyState{typ: s.rdb.Type(ctx, k).Val(), ttl: s.rdb.PTTL(ctx, k).Val()}
		switch st.typ {
		case "string":
			st.val = s.rdb.Get(ctx, k).Val()
		case "hash":
			st.val = fmt.Sprint(s.rdb.HGetAll(ctx, k).Val())
		case "list":
			st.val = fmt.Sprintf("%q", s.rdb.LRange(ctx, k, 0, -1).Val())
		case "set":
			m := s.rdb.SMembers(ctx, k).Val()
			for i := range m {
				if rest, ok := strings.CutPrefix(m[i], s.prefix); ok {
					m[i] = "P:" + rest
				}
			}
			slices.Sort(m)
			st.val = fmt.Sprintf("%q", m)
		case "zset":
			st.val = fmt.Sprint(s.rdb.ZRangeWithScores(ctx, k, 0, -1).Val())
		}
		// A person's stamp holds the prefix in its hash tag too.
		out[strings.Replace(strings.TrimPrefix(k, s.prefix), "{"+s.prefix, "{P:", 1)] = st
	}
	return out
}

// sameKeys compares two stores key by key: type and value equal, TTLs within a second.
func sameKeys(t *testing.T, got, want map[string]keyState) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("key %q: missing after restore", k)
		case g.typ != w.typ || g.val != w.val:
			t.Errorf("key %q: got %s %q, want %s %q", k, g.typ, g.val, w.typ, w.val)
		case (g.ttl < 0) != (w.ttl < 0) || (g.ttl-w.ttl).Abs() > time.Second:
			t.Errorf("key %q: got TTL %v, want %v within a second", k, g.ttl, w.ttl)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("key %q: restored, but it was not dumped", k)
		}
	}
}

func mustDump(t *testing.T, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Dump(t.Context(), &buf, day); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	return buf.Bytes()
}

func TestDumpRestoreRoundTrip(t *testing.T) {
	src := mustModelStore(t)
	populate(t, src)
	want := readPrefix(t, src)
	if len(want) < 25 {
		t.Fatalf("populated %d keys, want at least 25 kinds", len(want))
	}
	var buf bytes.Buffer
	st, err := src.Dump(t.Context(), &buf, day)
	if err != nil || st.Keys != int64(len(want)) || st.Schema != SchemaVersion {
		t.Fatalf("Dump: got %+v, %v, want %d keys at schema %d", st, err, len(want), SchemaVersion)
	}
	dst := storeAt(t, redistest.Prefix(t, "restored"))
	rs, err := dst.Restore(t.Context(), &buf, RestoreOptions{})
	if err != nil || rs.Keys != st.Keys || rs.From != src.prefix || rs.Schema != SchemaVersion {
		t.Fatalf("Restore: got %+v, %v, want %d keys from %s", rs, err, st.Keys, src.prefix)
	}
	sameKeys(t, readPrefix(t, dst), want)

	// The restored store reads as the first one does.
	k := flows.Key{Unit: "w1-pn", Period: "2026-Q1", Form: "membership"}
	h1, err1 := src.History(t.Context(), k)
	h2, err2 := dst.History(t.Context(), k)
	if err1 != nil || err2 != nil || len(h1) != 3 || !reflect.DeepEqual(h1, h2) {
		t.Errorf("History after restore: got %+v, %v, want %+v, %v", h2, err2, h1, err1)
	}
	f, err := dst.File(t.Context(), "tok1")
	if err != nil || string(f.Data) != "\x89PNG\r\n\x1a\n\x00\xff\xfe" {
		t.Errorf("File after restore: got %q, %v, want the PNG's bytes", f.Data, err)
	}
}

// A dump is readable: JSON values stand as JSON, the header names the schema.
func TestDumpIsReadable(t *testing.T) {
	s := mustModelStore(t)
	populate(t, s)
	zr, err := gzip.NewReader(bytes.NewReader(mustDump(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	for _, want := range []string{`{"format":"danvan-dump","version":1,"schema":1,"prefix":"` + s.prefix + `","created":"2026-03-20T09:30:00Z"`} {
		if !strings.HasPrefix(lines[0], want) {
			t.Errorf("header: got %s, want it to start %s", lines[0], want)
		}
	}
	for _, want := range []string{
		`{"key":"person:tg:9","type":"string","value":{"json":{"id":"tg:9","scopes":["city"],"idents":["tg:9"]}}}`,
		`{"key":"meta:schema","type":"string","value":"1"}`,
		`"type":"hash","ttl_ms":`,
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("dump: got no line with %s", want)
		}
	}
	if got, want := lines[len(lines)-1], fmt.Sprintf(`{"end":true,"keys":%d}`, len(lines)-2); got != want {
		t.Errorf("last line: got %s, want %s", got, want)
	}
}

func TestRestoreRefuses(t *testing.T) {
	src := mustStore(t)
	if err := src.Link(t.Context(), "tg:1", flows.Person{ID: "tg:1"}); err != nil {
		t.Fatal(err)
	}
	good := mustDump(t, src)
	newer := plainDump(fmt.Sprintf(`{"format":"danvan-dump","version":1,"schema":%d,"prefix":"x:"}`, SchemaVersion+1), `{"key":"a","type":"string","value":"1"}`, `{"end":true,"keys":1}`)
	newFormat := plainDump(`{"format":"danvan-dump","version":2,"schema":1,"prefix":"x:"}`, `{"end":true,"keys":0}`)
	cut := plainDump(`{"format":"danvan-dump","version":1,"schema":1,"prefix":"x:"}`, `{"key":"a","type":"string","value":"1"}`)
	tests := []struct {
		name    string
		dump    []byte
		before  func(*Store) // on the target
		opt     RestoreOptions
		want    error
		written int
	}{
		{"non-empty prefix", good, linkOne, RestoreOptions{}, ErrNotEmpty, 1},
		{"newer schema", newer, nil, RestoreOptions{}, ErrDumpTooNew, 0},
		{"newer schema, forced", newer, nil, RestoreOptions{Force: true}, ErrDumpTooNew, 0},
		{"newer format", newFormat, nil, RestoreOptions{}, ErrDumpTooNew, 0},
		{"cut short", cut, nil, RestoreOptions{}, ErrDumpTruncated, 1},
		{"gzip cut short", good[:len(good)/2], nil, RestoreOptions{}, ErrDumpTruncated, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := mustStore(t)
			if tt.before != nil {
				tt.before(dst)
			}
			_, err := dst.Restore(t.Context(), bytes.NewReader(tt.dump), tt.opt)
			if !errors.Is(err, tt.want) {
				t.Errorf("Restore: got %v, want %v", err, tt.want)
			}
			if n := len(readPrefix(t, dst)); tt.written >= 0 && n != tt.written {
				t.Errorf("keys after a refused restore: got %d, want %d", n, tt.written)
			}
		})
	}
}

func linkOne(s *Store) { _ = s.rdb.Set(context.Background(), s.prefix+"person:someone", "{}", 0).Err() }

func plainDump(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// A forced restore replaces the keys the dump has and keeps the others.
func TestRestoreForced(t *testing.T) {
	src := mustStore(t)
	if err := src.Link(t.Context(), "tg:1", flows.Person{ID: "tg:1", Name: "from the dump"}); err != nil {
		t.Fatal(err)
	}
	dst := mustStore(t)
	if err := dst.Link(t.Context(), "tg:1", flows.Person{ID: "tg:1", Name: "already there"}); err != nil {
		t.Fatal(err)
	}
	linkOne(dst)
	if _, err := dst.Restore(t.Context(), bytes.NewReader(mustDump(t, src)), RestoreOptions{Force: true}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if p, err := dst.Person(t.Context(), "tg:1"); err != nil || p.Name != "from the dump" {
		t.Errorf("Person after a forced restore: got %+v, %v, want the dump's", p, err)
	}
	if n := dst.rdb.Exists(t.Context(), dst.prefix+"person:someone").Val(); n != 1 {
		t.Errorf("a key the dump does not have: got %d, want it kept", n)
	}
}

// Every Redis string comes back byte for byte, in the most readable cell that allows it.
func TestCells(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"Chị Mai", `"Chị Mai"`},
		{`{"a":1}`, `{"json":{"a":1}}`},
		{`[1,2]`, `{"json":[1,2]}`},
		{`{ "a": 1 }`, `{"json":{ "a": 1 }}`},
		{` {"a":1}`, `" {\"a\":1}"`},
		{"{\n}", `"{\n}"`},
		{"{not json}", `"{not json}"`},
		{"123", `"123"`},
		{"tab\tquote\"back\\slash\x01", `"tab\tquote\"back\\slash\u0001"`},
		{"\x89PNG\x00\xff", `{"base64":"iVBORwD/"}`},
		{"[\"\xff\"]", `{"base64":"WyL/Il0="}`},
	}
	for _, tt := range tests {
		got := string(appendCell(nil, tt.in, true))
		if got != tt.want {
			t.Errorf("appendCell(%q): got %s, want %s", tt.in, got, tt.want)
		}
		back, err := decodeCell([]byte(got))
		if err != nil || back != tt.in {
			t.Errorf("decodeCell(%s): got %q, %v, want %q", got, back, err, tt.in)
		}
	}
}
