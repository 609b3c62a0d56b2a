package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
)

// Prefix is the platform part of console identities: "console:organiser".
const Prefix = "console"

// Ident is the identity of a person at the console, named by who.
func Ident(who string) string { return bot.Ident(Prefix, who) }

// zaloMaxMessage is where the Zalo style cuts a message: Zalo takes 2,000 characters.
const zaloMaxMessage = 2000

// Transport is a transport for a terminal: the same dispatcher and flows, with buttons shown as
// choices to type. It lets anyone try the bot without a token.
type Transport struct {
	In      io.Reader
	Out     io.Writer
	Handler bot.Handler
	// User is the identity the typed lines come from ("console:organiser"); Switch changes it.
	User string
	Name string
	// Switch maps "/as <who>" to an identity and a name; nil disables /as.
	Switch func(who string) (user, name string, ok bool)
	// Style "zalo" renders as the Zalo transport does: choices as numbered options inside the
	// message text, chosen by number or by their text. The default lists them below it.
	Style string
	// Local are commands of the console itself (the demo's /ngay), by name without the slash:
	// what they return is printed and nothing reaches the bot. They run without the console's
	// lock, so they may make the bot send messages (reminders) to the console.
	Local map[string]func(ctx context.Context, args string) string
	// Files is the folder where attachments (charts, spreadsheets) are saved for the person to
	// open; "" shows only their names.
	Files string

	// mu guards the terminal and the fields below: one message written at a time, since
	// reminders and notices arrive from other goroutines. It is never held while the bot
	// handles a line: handling may send to this console (a notice to another of the demo's
	// people), and Send takes mu.
	mu      sync.Mutex
	running bool // Run has shown its first prompt: a message sent then shows it again
	busy    bool // a line is being handled: its replies, then the prompt, follow
	stopped bool // Run has returned: nothing more is printed
	seq     int
	choices []flows.Button // of the last message with buttons
	free    bool
}

var _ bot.Sender = (*Transport)(nil)

// Prefix implements bot.Sender: the console sends to the identities "console:…".
func (c *Transport) Prefix() string { return Prefix }

// Send implements bot.Sender for the console's identities: a message the bot sends of its own accord
// (a reminder, a notice) is printed with whom it is for. The one for the person at the keyboard
// keeps its choices, so its buttons can be typed.
func (c *Transport) Send(_ context.Context, chat string, r flows.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	fmt.Fprintf(c.Out, "\n  📨 %s:", chat)
	mine := chat == c.User
	choices, free := c.choices, c.free
	c.render(r)
	if !mine {
		c.choices, c.free = choices, free
	}
	if c.running && !c.busy {
		c.promptLine()
	}
	return nil
}

// Run reads lines until In ends or ctx is done. It returns as soon as ctx is done, even with a
// line in hand or the reader blocked on In (a terminal that sends nothing): neither holds up
// the shutdown, and nothing is printed after Run returns.
func (c *Transport) Run(ctx context.Context) error {
	lines := c.read(ctx)
	c.mu.Lock()
	c.promptLine()
	c.running = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.stopped = true
		c.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line, ok := <-lines:
			if !ok {
				return nil
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				c.do(ctx, line)
			}()
			select {
			case <-done:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// read scans In on a goroutine of its own, which nobody waits for: a read from a terminal
// cannot be cancelled, and the process may end while it blocks.
func (c *Transport) read(ctx context.Context) <-chan string {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(c.In)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	return lines
}

// do handles one typed line and prints what comes back, then the prompt.
func (c *Transport) do(ctx context.Context, line string) {
	if out, local := c.local(ctx, line); local {
		c.print(ctx, func() { fmt.Fprintf(c.Out, "  %s\n", out) })
		return
	}
	c.mu.Lock()
	in, ok := c.incoming(line)
	c.busy = ok
	c.mu.Unlock()
	var replies []flows.Reply
	if ok {
		replies = c.Handler.Handle(ctx, in)
	}
	c.print(ctx, func() {
		c.busy = false
		for _, r := range replies {
			c.render(r)
		}
	})
}

// print writes what write writes, then the prompt, unless Run has returned or is returning.
func (c *Transport) print(ctx context.Context, write func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || ctx.Err() != nil {
		return
	}
	write()
	c.promptLine()
}

// local runs line if it is one of the console's own commands.
func (c *Transport) local(ctx context.Context, line string) (string, bool) {
	cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "/")
	if !ok {
		return "", false
	}
	name, args, _ := strings.Cut(cmd, " ")
	f, ok := c.Local[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	return f(ctx, strings.TrimSpace(args)), true
}

func (c *Transport) promptLine() { fmt.Fprintf(c.Out, "%s> ", c.Name) }

// incoming turns line into the update to handle; false when it was the console's own /as,
// which it carries out. c.mu is held.
func (c *Transport) incoming(line string) (bot.Incoming, bool) {
	if who, ok := strings.CutPrefix(strings.TrimSpace(line)+" ", "/as "); ok && c.Switch != nil {
		user, name, ok := c.Switch(strings.TrimSpace(who))
		if !ok {
			fmt.Fprintln(c.Out, "  /as organiser | leader | admin")
			return bot.Incoming{}, false
		}
		c.User, c.Name, c.choices = user, name, nil
		fmt.Fprintf(c.Out, "  (bây giờ bạn là %s)\n", name)
		return bot.Incoming{}, false
	}
	c.seq++
	in := bot.Incoming{UpdateID: fmt.Sprintf("%s:%d", c.User, c.seq), Chat: c.User, User: c.User, Name: c.Name, Input: c.input(line)}
	c.choices = nil
	return in, true
}

// input turns a typed line into flows input: a choice by its number or letter when the last
// message offered choices, a /command, or text.
func (c *Transport) input(line string) flows.Input {
	s := strings.TrimSpace(line)
	if b, ok := c.pick(s); ok {
		return flows.Input{Kind: flows.ButtonInput, Data: b.Data}
	}
	if in, ok := transport.Command(s); ok {
		return in
	}
	return flows.Input{Kind: flows.TextInput, Text: line}
}

func (c *Transport) pick(s string) (flows.Button, bool) {
	if c.Style == "zalo" {
		return transport.Menu{Buttons: c.choices, Free: c.free}.Pick(s)
	}
	for i, b := range c.choices {
		if s == transport.ChoiceKey(i, c.free) {
			return b, true
		}
	}
	return flows.Button{}, false
}

func (c *Transport) render(r flows.Reply) {
	fmt.Fprintln(c.Out)
	if r.File != nil {
		c.saveFile(*r.File)
	}
	if c.Style == "zalo" {
		c.renderZalo(transport.FileAsText(r, "trong demo tệp được lưu ở đường dẫn trên"))
		return
	}
	for _, l := range strings.Split(r.Text, "\n") {
		fmt.Fprintln(c.Out, "  "+l)
	}
	if len(r.Buttons) == 0 {
		return
	}
	c.choices, c.free = nil, r.Free
	for _, row := range r.Buttons {
		for _, b := range row {
			fmt.Fprintf(c.Out, "   %s) %s\n", transport.ChoiceKey(len(c.choices), r.Free), b.Label)
			c.choices = append(c.choices, b)
		}
	}
}

// saveFile writes an attachment where the person can open it, since a terminal shows no images.
func (c *Transport) saveFile(f flows.File) {
	if c.Files == "" {
		fmt.Fprintf(c.Out, "  📎 %s (%d bytes)\n", f.Name, len(f.Data))
		return
	}
	path := filepath.Join(c.Files, filepath.Base(f.Name))
	if err := os.MkdirAll(c.Files, 0o755); err != nil {
		fmt.Fprintf(c.Out, "  📎 %s: %v\n", f.Name, err)
		return
	}
	if err := os.WriteFile(path, f.Data, 0o644); err != nil {
		fmt.Fprintf(c.Out, "  📎 %s: %v\n", f.Name, err)
		return
	}
	fmt.Fprintf(c.Out, "  📎 %s\n", path)
}

// renderZalo prints r as Zalo shows it: text only, in messages of at most 2,000 characters.
func (c *Transport) renderZalo(r flows.Reply) {
	text, menu := transport.Render(r)
	for i, part := range transport.Split(text, zaloMaxMessage, transport.Char) {
		if i > 0 {
			fmt.Fprintln(c.Out, "  ────")
		}
		for _, l := range strings.Split(part, "\n") {
			fmt.Fprintln(c.Out, "  "+l)
		}
	}
	if len(menu.Buttons) > 0 {
		c.choices, c.free = menu.Buttons, menu.Free
	}
}
