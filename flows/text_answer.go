package flows

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is the written answers of text questions ("Kết quả nổi bật", "Hạn chế, khó khăn"):
// on a phone a paragraph comes as several messages, so each message typed is joined to the
// answer so far, saved with the draft at once, until the person taps "Xong". The first message
// of an answer replaces what an earlier one held (an edit from the summary starts afresh).

// How much of a written answer the summary card and a button show.
const (
	summaryLines = 2
	summaryRunes = 120
	buttonRunes  = 32
)

func init() {
	addTexts(map[string]Text{
		"text_how": {Vi: "Gõ câu trả lời, có thể gửi thành nhiều tin nhắn; bấm ✅ Xong khi đã viết hết (tối đa %s ký tự).",
			En: "Type your answer, in several messages if you like; tap ✅ Done when you have finished (at most %s characters)."},
		"text_got": {Vi: "📝 Đã nhận %s/%s ký tự:\n%s\nGõ tiếp để viết thêm, hoặc bấm ✅ Xong.",
			En: "📝 Got %s/%s characters:\n%s\nType more to add to it, or tap ✅ Done."},
		"text_long": {Vi: "Câu trả lời tối đa %s ký tự. Tin nhắn này dài %s ký tự nên chưa được nhận; phần đã nhận (%s ký tự) vẫn được giữ. Vui lòng rút gọn rồi gửi lại, hoặc bấm ✅ Xong.",
			En: "An answer takes at most %s characters. This message is %s characters long, so it was not taken; what you wrote before (%s characters) is kept. Please shorten it and send it again, or tap ✅ Done."},
		"text_long0": {Vi: "Câu trả lời tối đa %s ký tự. Tin nhắn này dài %s ký tự nên chưa được nhận. Vui lòng rút gọn rồi gửi lại.",
			En: "An answer takes at most %s characters. This message is %s characters long, so it was not taken. Please shorten it and send it again."},
		"text_empty":     {Vi: "Tin nhắn không có chữ nào nên chưa được nhận. Vui lòng gõ nội dung.", En: "That message has no words, so it was not taken. Please type your answer."},
		"text_media":     {Vi: "Câu này cần trả lời bằng chữ; ảnh, tệp hay nhãn dán chưa được lưu. Vui lòng gõ nội dung.", En: "This question takes a written answer; a photo, file or sticker is not saved. Please type your answer."},
		"text_skipped":   {Vi: "(bỏ qua)", En: "(skipped)"},
		"text_writing":   {Vi: "(đang viết)", En: "(being written)"},
		"text_chars":     {Vi: "(%s ký tự)", En: "(%s characters)"},
		"btn_done":       {Vi: "✅ Xong", En: "✅ Done"},
		"btn_skip":       {Vi: "⏭ Bỏ qua", En: "⏭ Skip"},
		"btn_clear":      {Vi: "🗑 Xóa, viết lại", En: "🗑 Clear, start again"},
		"btn_keep_txt":   {Vi: "Giữ như đã nhập", En: "Keep what I wrote"},
		"btn_keep_stx":   {Vi: "Giữ như đã gửi", En: "Keep as submitted"},
		"unit_text_edit": {Vi: "đã sửa", En: "changed"},
	})
}

// typedText takes one message of a written answer: a choice typed by its label (platforms
// without buttons), else text joined to the answer so far, within the question's limit.
func (t *turn) typedText(q Question, s string) {
	if b, ok := matchChoice(t.renderText(q).Buttons, s); ok {
		_, rest, _ := strings.Cut(b.Data, "|")
		action, arg, _ := strings.Cut(rest, "|")
		t.act(action, arg)
		return
	}
	// Stored as plain text: what is shown to others or written into the report must read as it
	// was typed, so the characters that reorder text go; markup stays the letters it is.
	s = strings.TrimSpace(Neutral(strings.ToValidUTF8(s, "")))
	if !hasWord(s) {
		t.say(t.T("text_empty"))
		t.prompt()
		return
	}
	d := t.workDraft()
	sofar := ""
	if d.Typing == q.ID {
		sofar = d.Texts[q.ID]
	}
	joined := s
	if sofar != "" {
		joined = sofar + "\n" + s
	}
	if limit := q.TextLimit(); utf8.RuneCountInString(joined) > limit {
		n := t.num(int64(utf8.RuneCountInString(s)))
		if sofar == "" {
			t.say(t.T("text_long0", t.num(int64(limit)), n))
		} else {
			t.say(t.T("text_long", t.num(int64(limit)), n, t.num(int64(utf8.RuneCountInString(sofar)))))
		}
		t.prompt()
		return
	}
	if d.Texts == nil {
		d.Texts = map[string]string{}
	}
	d.Texts[q.ID], d.Typing = joined, q.ID
	t.dirty = true
	t.prompt()
}

// textAct carries out the buttons of a text question; false when action is not one of them.
func (t *turn) textAct(action string) bool {
	switch action {
	case "tdone", "tskip", "tclear":
	default:
		return false
	}
	q, ok := t.question()
	if !ok || !q.IsText() || t.st.Screen != Asking {
		t.prompt()
		return true
	}
	d := t.workDraft()
	switch {
	case action == "tdone" && d.Typing == q.ID:
		d.Typing = ""
		t.dirty = true
		t.advance()
	case action == "tskip" && q.Optional:
		if d.Texts == nil {
			d.Texts = map[string]string{}
		}
		d.Texts[q.ID], d.Typing = "", ""
		t.dirty = true
		t.advance()
	case action == "tclear" && d.Typing == q.ID:
		delete(d.Texts, q.ID)
		d.Typing = ""
		t.dirty = true
		t.prompt()
	default:
		t.prompt() // a press that no longer fits what the draft holds
	}
	return true
}

// keepText keeps the written answer the draft has, or the one submitted before.
func (t *turn) keepText(q Question) {
	d := t.workDraft()
	switch {
	case d.Has(q):
		t.advance()
	case t.submittedText(q) != nil:
		if d.Texts == nil {
			d.Texts = map[string]string{}
		}
		d.Texts[q.ID], d.Typing = *t.submittedText(q), ""
		t.dirty = true
		t.advance()
	default:
		t.prompt()
	}
}

// submittedText is the answer to q in the report as submitted, nil when there is none (a skip
// is submitted as nothing).
func (t *turn) submittedText(q Question) *string {
	s := t.info().Submitted
	if s == nil {
		return nil
	}
	if v, ok := s.Texts[q.ID]; ok {
		return &v
	}
	return nil
}

// renderText draws a text question: how to answer it, or what is written so far, and its buttons.
func (t *turn) renderText(q Question) Reply {
	d := t.workDraft()
	lines := []string{t.where(), "(" + strconv.Itoa(t.st.Step+1) + "/" + strconv.Itoa(len(t.questions())) + ") " + q.Label.In(t.lang)}
	if h := q.Hint.In(t.lang); h != "" {
		lines = append(lines, h)
	}
	// Not Free: a written answer is no figure, so a platform without buttons may number the
	// choices ("1 – Xong"); a message that is a bare number is no paragraph anyone writes.
	var r Reply
	if d.Typing == q.ID {
		text := d.Texts[q.ID]
		lines = append(lines, t.T("text_got", t.num(int64(utf8.RuneCountInString(text))), t.num(int64(q.TextLimit())), quoteLines(text, summaryLines+1, summaryRunes)))
		r.Buttons = append(r.Buttons, []Button{t.btn(t.T("btn_done"), "tdone", ""), t.btn(t.T("btn_clear"), "tclear", "")})
	} else {
		lines = append(lines, t.T("text_how", t.num(int64(q.TextLimit()))))
		var row []Button
		switch {
		case d.Has(q):
			row = append(row, t.btn(t.T("btn_keep_txt"), "keep", ""))
		case t.submittedText(q) != nil:
			row = append(row, t.btn(t.T("btn_keep_stx"), "keep", ""))
		}
		if q.Optional {
			row = append(row, t.btn(t.T("btn_skip"), "tskip", ""))
		}
		if len(row) > 0 {
			r.Buttons = append(r.Buttons, row)
		}
	}
	r.Buttons = append(r.Buttons, t.questionNav())
	r.Text = strings.Join(lines, "\n")
	return r
}

// textPreview is a written answer as the summary and the edit buttons show it: its first lines,
// cut, or what stands in for it.
func (t *turn) textPreview(q Question, d *Draft, lines, runes int) string {
	text, ok := d.Texts[q.ID]
	switch {
	case !ok:
		return "—"
	case d.Typing == q.ID:
		return t.T("text_writing")
	case text == "":
		return t.T("text_skipped")
	}
	out := quoteLines(text, lines, runes)
	if lines > 1 {
		out = strings.ReplaceAll(out, "\n", "\n   ")
		if n := utf8.RuneCountInString(text); n > runes {
			out += " " + t.T("text_chars", t.num(int64(n)))
		}
	}
	return out
}

// quoteLines returns the first n non-empty lines of s, each cut to runes characters, with "…"
// where anything was left out.
func quoteLines(s string, n, runes int) string {
	var out []string
	more := false
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if len(out) == n {
			more = true
			break
		}
		if r := []rune(l); len(r) > runes {
			l, more = string(r[:runes]), true
			out = append(out, strings.TrimSpace(l)+"…")
			continue
		}
		out = append(out, l)
	}
	if more && len(out) > 0 && !strings.HasSuffix(out[len(out)-1], "…") {
		out[len(out)-1] += " …"
	}
	return strings.Join(out, "\n")
}

// mediaText is the answer to a photo, a sticker or a file: a text question says it takes words.
func (t *turn) mediaText() string {
	if q, ok := t.question(); ok && q.IsText() && t.st.Screen == Asking && t.st.Key.Form != "" {
		return "text_media"
	}
	return "media"
}
