package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"danvan/bot"
	"danvan/flows"
	"danvan/internal/testkit"
)

// filesFunc is a bot.Files of a function.
type filesFunc func(p flows.Person, a flows.Attachment, lang flows.Lang) (flows.File, error)

func (f filesFunc) File(_ context.Context, p flows.Person, a flows.Attachment, lang flows.Lang) (flows.File, error) {
	return f(p, a, lang)
}

// TestRouterRendersAttachments: a reply sent outside a conversation that asks for a file (the
// reminders' report push) reaches the transport with the file rendered for its person, in their
// language; a file that cannot be made is an error, so the sender tries again later; without a
// renderer the text goes with a line saying files are off.
func TestRouterRendersAttachments(t *testing.T) {
	leader := flows.Person{ID: "tg:7", Scopes: []string{"tanphong"}, Lang: flows.EN}
	a := flows.Attachment{Kind: flows.DocFile, Period: "2026-H1"}
	var asked []string
	ok := filesFunc(func(p flows.Person, got flows.Attachment, lang flows.Lang) (flows.File, error) {
		asked = append(asked, p.ID+" "+string(got.Kind)+" "+got.Period+" "+string(lang))
		return flows.File{Name: "bao-cao-2026-H1.docx", Kind: flows.Document, Data: []byte("DOCX")}, nil
	})
	broken := filesFunc(func(flows.Person, flows.Attachment, flows.Lang) (flows.File, error) {
		return flows.File{}, errors.New("redis went away")
	})
	tests := []struct {
		name    string
		files   bot.Files
		wantErr bool
		check   func(t *testing.T, got []flows.Reply)
	}{
		{"rendered", ok, false, func(t *testing.T, got []flows.Reply) {
			if len(got) != 1 || got[0].File == nil || got[0].File.Name != "bao-cao-2026-H1.docx" || got[0].Text != "Dự thảo" {
				t.Errorf("got %+v, want the caption with the rendered draft", got)
			}
			if len(asked) != 1 || asked[0] != "tg:7 docx 2026-H1 en" {
				t.Errorf("asked the files %q, want the leader's draft in their language", asked)
			}
		}},
		{"render fails", broken, true, func(t *testing.T, got []flows.Reply) {
			if len(got) != 0 {
				t.Errorf("got %+v sent, want nothing", got)
			}
		}},
		{"no renderer", nil, false, func(t *testing.T, got []flows.Reply) {
			if len(got) != 1 || got[0].File != nil || got[0].Attach != nil || !strings.Contains(got[0].Text, flows.T(flows.EN, "file_off")) {
				t.Errorf("got %+v, want the caption and a line saying files are off", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := &testkit.RecordSender{Channel: "tg"}
			r := &bot.Router{People: peopleByIdent{"tg:7": leader}, Files: tt.files}
			r.Register(tg)
			err := r.Send(context.Background(), leader, flows.Reply{Text: "Dự thảo", Attach: &a})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send: got %v, want error %v", err, tt.wantErr)
			}
			tt.check(t, tg.Replies())
		})
	}
}
