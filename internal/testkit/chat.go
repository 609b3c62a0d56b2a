package testkit

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"danvan/bot"
	"danvan/flows"
)

// Chat drives one person's conversation through a Handler, without a transport, numbering
// updates with a counter the test shares between its chats.
type Chat struct {
	tb      testing.TB
	h       bot.Handler
	user    string
	name    string
	seq     *int
	last    []flows.Reply
	buttons []flows.Button // of the newest reply that had any
}

// NewChat is the private chat of user (an identity such as "tg:2001") named name.
func NewChat(tb testing.TB, h bot.Handler, user, name string, seq *int) *Chat {
	return &Chat{tb: tb, h: h, user: user, name: name, seq: seq}
}

// Send hands in to the handler and returns its replies.
func (c *Chat) Send(in flows.Input) []flows.Reply {
	c.tb.Helper()
	*c.seq++
	c.last = c.h.Handle(context.Background(), bot.Incoming{
		UpdateID: "test:" + strconv.Itoa(*c.seq), Chat: c.user, User: c.user, Name: c.name, Input: in,
	})
	for _, r := range c.last {
		if len(r.Buttons) > 0 {
			c.buttons = nil
			for _, row := range r.Buttons {
				c.buttons = append(c.buttons, row...)
			}
		}
	}
	return c.last
}

// Text types s.
func (c *Chat) Text(s string) []flows.Reply {
	c.tb.Helper()
	return c.Send(flows.Input{Kind: flows.TextInput, Text: s})
}

// Command sends /cmd args.
func (c *Chat) Command(cmd, args string) []flows.Reply {
	c.tb.Helper()
	return c.Send(flows.Input{Kind: flows.CommandInput, Command: cmd, Args: args})
}

// Press presses the button of the newest keyboard whose label contains label.
func (c *Chat) Press(label string) []flows.Reply {
	c.tb.Helper()
	b := c.MustButton(label)
	return c.Send(flows.Input{Kind: flows.ButtonInput, Data: b.Data})
}

// MustButton finds the button of the newest keyboard whose label contains label.
func (c *Chat) MustButton(label string) flows.Button {
	c.tb.Helper()
	for _, b := range c.buttons {
		if strings.Contains(b.Label, label) {
			return b
		}
	}
	c.tb.Fatalf("no button %q among %v", label, c.buttons)
	return flows.Button{}
}

// Said joins the texts of the last replies, for assertions.
func (c *Chat) Said() string {
	var parts []string
	for _, r := range c.last {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, "\n")
}

// MustSay fails unless the last replies contain want.
func (c *Chat) MustSay(want string) {
	c.tb.Helper()
	if !strings.Contains(c.Said(), want) {
		c.tb.Fatalf("got %q, want it to contain %q", c.Said(), want)
	}
}
