package bot_test

import (
	"context"
	"errors"
	"testing"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/testkit"
)

// peopleByIdent is a People of fixed records, for routing tests.
type peopleByIdent map[string]flows.Person

func (p peopleByIdent) Person(_ context.Context, ident string) (flows.Person, error) {
	return p[ident], nil
}

func (p peopleByIdent) Link(context.Context, string, flows.Person) error { return nil }

func TestRouterPicksOneChannel(t *testing.T) {
	both := []string{"tg:1", "zalo:z1"}
	tests := []struct {
		name    string
		p       flows.Person
		wantTG  int
		wantZL  int
		wantErr error
	}{
		{"first identity by default", flows.Person{ID: "tg:1", Idents: both}, 1, 0, nil},
		{"preferred zalo", flows.Person{ID: "tg:1", Idents: both, Channel: "zalo"}, 0, 1, nil},
		{"preferred zalo, none linked", flows.Person{ID: "tg:1", Channel: "zalo"}, 1, 0, nil},
		{"no idents: the id", flows.Person{ID: "zalo:z1"}, 0, 1, nil},
		{"blocked the bot", flows.Person{ID: "tg:1", Unreachable: true}, 0, 0, nil},
		{"no sender", flows.Person{ID: "console:x"}, 0, 0, bot.ErrNoChannel},
		{"unknown person", flows.Person{}, 0, 0, flows.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg, zl := &testkit.RecordSender{Channel: "tg"}, &testkit.RecordSender{Channel: "zalo:"}
			r := &bot.Router{People: peopleByIdent{"p": tt.p}}
			r.Register(tg)
			r.Register(zl)
			err := r.Notify(context.Background(), "p", []flows.Reply{{Text: "nhắc"}})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err: got %v, want %v", err, tt.wantErr)
			}
			if len(tg.Texts()) != tt.wantTG || len(zl.Texts()) != tt.wantZL {
				t.Errorf("sent tg %d, zalo %d: want tg %d, zalo %d", len(tg.Texts()), len(zl.Texts()), tt.wantTG, tt.wantZL)
			}
			if tt.p.ID == "" {
				return // Send is given the person, found or not, by the reminders
			}
			// The reminders' fan-out sends by person, on the same single channel.
			err = r.Send(context.Background(), tt.p, flows.Reply{Text: "nhắc"})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("send err: got %v, want %v", err, tt.wantErr)
			}
			if len(tg.Texts()) != 2*tt.wantTG || len(zl.Texts()) != 2*tt.wantZL {
				t.Errorf("after Send: sent tg %d, zalo %d: want tg %d, zalo %d", len(tg.Texts()), len(zl.Texts()), 2*tt.wantTG, 2*tt.wantZL)
			}
		})
	}
}

// TestRouterChannel: the channel the reminders pace a person's message on is the one Send
// writes to.
func TestRouterChannel(t *testing.T) {
	both := []string{"tg:1", "zalo:z1"}
	tests := []struct {
		name string
		p    flows.Person
		want string
	}{
		{"first identity by default", flows.Person{ID: "tg:1", Idents: both}, "tg"},
		{"preferred zalo", flows.Person{ID: "tg:1", Idents: both, Channel: "zalo"}, "zalo"},
		{"no sender", flows.Person{ID: "console:x"}, ""},
	}
	r := &bot.Router{}
	r.Register(&testkit.RecordSender{Channel: "tg"})
	r.Register(&testkit.RecordSender{Channel: "zalo"})
	for _, tt := range tests {
		if got := r.Channel(tt.p); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A Telegram user is the same person to every bot, but a chat with one bot is not a chat with
// another: the router writes through the bot of the identity it picks, of the preferred
// channel, preferring the bots of the person's tenant (Home), and paces by that bot.
func TestRouterPicksTheTenantsBot(t *testing.T) {
	idents := []string{"tg:5", "tg.db:5", "zalo.db:z5"}
	home := func(flows.Person) []string { return []string{"tg.db", "zalo.db"} }
	tests := []struct {
		name string
		p    flows.Person
		home func(flows.Person) []string
		want string
	}{
		{"the tenant's bot", flows.Person{ID: "tg:5", Idents: idents}, home, "tg.db"},
		{"without a tenant, the first", flows.Person{ID: "tg:5", Idents: idents}, nil, "tg"},
		{"preferred channel first", flows.Person{ID: "tg:5", Idents: idents, Channel: "zalo"}, home, "zalo.db"},
		{"the tenant's bot only has no sender", flows.Person{ID: "tg:5", Idents: []string{"tg:5", "tg.hn:5"}}, home, "tg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			senders := map[string]*testkit.RecordSender{}
			r := &bot.Router{People: peopleByIdent{}, Home: tt.home}
			for _, prefix := range []string{"tg", "tg.db", "zalo.db"} {
				senders[prefix] = &testkit.RecordSender{Channel: prefix}
				r.Register(senders[prefix])
			}
			if got := r.Channel(tt.p); got != tt.want {
				t.Errorf("Channel: got %q, want %q", got, tt.want)
			}
			if err := r.Send(context.Background(), tt.p, flows.Reply{Text: "nhắc"}); err != nil {
				t.Fatal(err)
			}
			for prefix, s := range senders {
				if got, want := len(s.Texts()), map[bool]int{true: 1}[prefix == tt.want]; got != want {
					t.Errorf("sent through %s: got %d, want %d", prefix, got, want)
				}
			}
		})
	}
}

// BotOf and ChannelOf read an identity's bot and platform.
func TestBotOfIdentity(t *testing.T) {
	for ident, want := range map[string][2]string{
		"tg:1": {"tg", "tg"}, "tg.lc:1": {"tg.lc", "tg"}, "zalo.p01:z": {"zalo.p01", "zalo"}, "console:x": {"console", "console"},
	} {
		if b, c := bot.BotOf(ident), bot.ChannelOf(ident); b != want[0] || c != want[1] {
			t.Errorf("%s: got %s %s, want %s %s", ident, b, c, want[0], want[1])
		}
	}
	if got := bot.BotPrefix("tg", "lc"); got != "tg.lc" {
		t.Errorf("BotPrefix: got %s, want tg.lc", got)
	}
}
