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

// FileAsText moves r's file into its text, for a channel that cannot show the file, and says
// so: after the reply's own text, a line naming the file as people know it ("Bảng tính Excel")
// and why it comes as text (why, "" for no reason given), then the file's Text, before the
// reply's choices; the file is dropped. Vietnamese, as the transports' numbered options are.
func FileAsText(r flows.Reply, why string) flows.Reply {
	if r.File == nil {
		return r
	}
	note := "📝 " + FileWhat(*r.File) + " được gửi dưới dạng chữ"
	if why != "" {
		note += " (" + why + ")"
	}
	if t := r.File.Text; t != "" {
		note += ":\n" + t
	} else {
		note = "📝 " + FileWhat(*r.File) + " không gửi được qua kênh này" + strings.TrimSuffix(" ("+why+")", " ()") + "."
	}
	if r.Text != "" {
		note = r.Text + "\n\n" + note
	}
	r.Text, r.File = note, nil
	return r
}

// FileWhat names a file as people know it, from its name: "Biểu đồ", "Bảng tính Excel", "Bảng
// số liệu CSV (tệp nén)", "Dự thảo báo cáo (Word)", else "Tệp <name>".
func FileWhat(f flows.File) string {
	switch n := strings.ToLower(f.Name); {
	case strings.HasSuffix(n, ".png"):
		return "Biểu đồ"
	case strings.HasSuffix(n, ".xlsx"):
		return "Bảng tính Excel"
	case strings.HasSuffix(n, ".zip"):
		return "Bảng số liệu CSV (tệp nén)"
	case strings.HasSuffix(n, ".docx"):
		return "Dự thảo báo cáo (Word)"
	}
	return "Tệp " + f.Name
}
