package zalo

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"danvan/flows"
	"danvan/internal/fakezalo"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

// Messages pushed at once to one chat (reminders, notices) number their options apart: every
// key shown is shown once, and chooses the option its message showed.
func TestZaloConcurrentPushes(t *testing.T) {
	fake := fakezalo.New(t)
	cfg := fakeConfig(fake)
	cfg.Logger = slog.New(slog.DiscardHandler)
	mustPushApart(t, fake, []*Transport{newTransport(cfg, testkit.HandlerFunc(nil))})
}

// The same holds for pushes from two replicas sharing the menus in Redis, each key read back
// through either replica.
func TestZaloReplicasConcurrentPushes(t *testing.T) {
	fake, prefix := fakezalo.New(t), testkit.MustPrefix(t)
	var zs []*Transport
	for range 2 {
		cfg := fakeConfig(fake)
		cfg.Menus, cfg.Logger = testkit.StoreAt(t, redistest.Addr(), prefix), slog.New(slog.DiscardHandler)
		zs = append(zs, newTransport(cfg, testkit.HandlerFunc(nil)))
	}
	mustPushApart(t, fake, zs)
}

// pushes is how many messages mustPushApart pushes: more than a menu holds, so some find it
// full and go without options.
const pushes = menuSegments + 3

// mustPushApart shows a question through zs[0], pushes pushes messages of two options each
// to the same chat at once through zs in turn, and checks what was shown against what the keys
// choose through every one of zs.
func mustPushApart(t *testing.T, fake *fakezalo.Server, zs []*Transport) {
	t.Helper()
	ctx, chat := t.Context(), "zalo:u1"
	question := flows.Reply{Text: "(1/4) Số quần chúng", Free: true, Buttons: [][]flows.Button{{{Label: "Quay lại", Data: "7|back|"}, {Label: "Hủy", Data: "7|cancel|"}}}}
	if err := zs[0].deliver(ctx, chat, question, true); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range pushes {
		wg.Go(func() {
			r := flows.Reply{Text: fmt.Sprintf("Tin %d", i), Buttons: [][]flows.Button{
				{{Label: fmt.Sprintf("Mở lại %d", i), Data: fmt.Sprintf("*|open|%d", i)}},
				{{Label: fmt.Sprintf("Nhắc lại %d", i), Data: fmt.Sprintf("*|snooze|%d", i)}},
			}}
			if err := zs[i%len(zs)].Send(ctx, chat, r); err != nil {
				t.Errorf("Send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	shown, offered := map[string]string{}, 0 // key → the data of the option it was shown for
	for _, c := range fake.Sent("u1") {
		opts := options(c.Params["text"])
		offered += min(len(opts), 1)
		for _, o := range opts {
			if _, ok := shown[o[0]]; ok {
				t.Errorf("key %q shown twice; the second time in %q", o[0], c.Params["text"])
			}
			shown[o[0]] = optionData(o[1])
		}
	}
	if offered != menuSegments {
		t.Errorf("messages with options: got %d, want %d (the question and pushes until the menu is full)", offered, menuSegments)
	}
	for key, want := range shown {
		for i, z := range zs {
			if in := z.input(ctx, chat, key); in.Kind != flows.ButtonInput || in.Data != want {
				t.Errorf("%q typed to transport %d: got %+v, want the choice %q", key, i, in, want)
			}
		}
	}
}

// optionData is the data mustPushApart gave the option labelled l.
func optionData(l string) string {
	switch {
	case l == "Quay lại":
		return "7|back|"
	case l == "Hủy":
		return "7|cancel|"
	case strings.HasPrefix(l, "Mở lại "):
		return "*|open|" + strings.TrimPrefix(l, "Mở lại ")
	default:
		return "*|snooze|" + strings.TrimPrefix(l, "Nhắc lại ")
	}
}

// The in-memory menu keeps its segments as Redis does: a reply replaces them, a push appends and
// learns those before it, a full menu takes no more and changes not.
func TestMemMenus(t *testing.T) {
	s, ctx := &memMenus{max: 2}, t.Context()
	steps := []struct {
		chat, seg string
		replace   bool
		want      string // AddMenu's answer, joined by spaces
	}{
		{"zalo:1", "r1", false, "r1"},
		{"zalo:1", "r2", false, "r1 r2"},
		{"zalo:1", "q", true, "q"},
		{"zalo:1", "r3", false, "q r3"},
		{"zalo:2", "q", true, "q"},
		{"zalo:3", "q", true, "q"}, // a third chat: one of the others is forgotten
	}
	for _, st := range steps {
		got, err := s.AddMenu(ctx, st.chat, []byte(st.seg), st.replace, menuTTL)
		if err != nil || joinSegs(got) != st.want {
			t.Errorf("AddMenu %s to %s: got %q, %v, want %q", st.seg, st.chat, joinSegs(got), err, st.want)
		}
	}
	if len(s.m) != 2 {
		t.Errorf("chats remembered: got %d, want 2", len(s.m))
	}
	var want []string
	for i := range menuSegments {
		want = append(want, fmt.Sprint(i))
		if got, _ := s.AddMenu(ctx, "zalo:3", []byte(fmt.Sprint(i)), i == 0, menuTTL); joinSegs(got) != strings.Join(want, " ") {
			t.Fatalf("AddMenu %d: got %q, want %q", i, joinSegs(got), strings.Join(want, " "))
		}
	}
	if got, err := s.AddMenu(ctx, "zalo:3", []byte("over"), false, menuTTL); got != nil || err != nil {
		t.Errorf("AddMenu to a full menu: got %q, %v, want nil, nil", got, err)
	}
	if got, _ := s.Menu(ctx, "zalo:3"); joinSegs(got) != strings.Join(want, " ") {
		t.Errorf("Menu after a refused push: got %q, want %q", joinSegs(got), strings.Join(want, " "))
	}
}

func joinSegs(segs [][]byte) string {
	var out []string
	for _, s := range segs {
		out = append(out, string(s))
	}
	return strings.Join(out, " ")
}
