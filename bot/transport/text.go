package transport

import (
	"strings"

	"danvan/flows"
)

// Command reads a typed "/name args" as a command; false for anything else.
func Command(text string) (flows.Input, bool) {
	cmd, ok := strings.CutPrefix(strings.TrimSpace(text), "/")
	if !ok || cmd == "" {
		return flows.Input{}, false
	}
	name, args, _ := strings.Cut(cmd, " ")
	return flows.Input{Kind: flows.CommandInput, Command: strings.ToLower(name), Args: strings.TrimSpace(args)}, true
}

// FileAsText moves r's file into its text, for a channel that cannot show the file: the file's
// Text follows the reply's own, before its choices, and the file is dropped.
func FileAsText(r flows.Reply) flows.Reply {
	if r.File == nil {
		return r
	}
	if t := r.File.Text; t != "" && r.Text != "" {
		r.Text += "\n\n" + t
	} else if t != "" {
		r.Text = t
	}
	r.File = nil
	return r
}
