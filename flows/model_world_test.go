package flows

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// seedModel registers a model before the script starts: "@model unit id field 2026-01 [level]
// name words…"; the level is "-" for none.
func (w *world) seedModel(f []string) error {
	start, err := time.ParseInLocation("2006-01", f[3], testLoc)
	if err != nil {
		return err
	}
	m := Model{Unit: f[0], ID: f[1], Field: f[2], Start: start, By: "seed", At: w.now.AddDate(0, -1, 0), Version: 1}
	rest := f[4:]
	if len(rest) > 0 && (rest[0] == "-" || strings.HasPrefix(rest[0], "level=")) {
		if l := strings.TrimPrefix(rest[0], "level="); l != "-" {
			m.Level, m.RecognisedAt = l, m.At
		}
		rest = rest[1:]
	}
	m.Name = strings.Join(rest, " ")
	w.models[m.Unit] = append(w.models[m.Unit], m)
	return nil
}

// saveModel stores a model the way the store does: version 1 only where the id is free, a later
// version only over the one before.
func (w *world) saveModel(m Model) string {
	ms := w.models[m.Unit]
	i := slices.IndexFunc(ms, func(o Model) bool { return o.ID == m.ID })
	switch {
	case i < 0 && m.Version != 1, i >= 0 && ms[i].Version != m.Version-1:
		return fmt.Sprintf("SaveModel CONFLICT %s v%d", m, m.Version)
	case i < 0:
		w.models[m.Unit] = append(ms, m)
	default:
		ms[i] = m
	}
	rec := "-"
	if m.Level != "" {
		rec = m.Level + "@" + m.RecognisedAt.Format("2006-01-02")
	}
	return fmt.Sprintf("SaveModel %s v%d %q field=%s start=%s recognised=%s by=%s", m, m.Version, m.Name, m.Field,
		m.Start.Format("2006-01"), rec, m.By)
}

// textsOf writes written answers for the effect lines: texts{id=len:"first words"…}, and the
// question still being written; "" when there are none.
func textsOf(texts map[string]string, typing string) string {
	if len(texts) == 0 && typing == "" {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(texts)) {
		v := texts[k]
		r := []rune(v)
		head := v
		if len(r) > 24 {
			head = string(r[:24]) + "…"
		}
		parts = append(parts, k+"="+strconv.Itoa(len(r))+":"+strconv.Quote(head))
	}
	out := " texts{" + strings.Join(parts, " ") + "}"
	if typing != "" {
		out += " typing=" + typing
	}
	return out
}

// longText is n characters of Vietnamese prose, for a paste past a question's limit.
func longText(n int) string {
	const words = "Hội viên tích cực tham gia phong trào "
	var b strings.Builder
	for b.Len() < 4*n {
		b.WriteString(words)
	}
	return string([]rune(b.String())[:n])
}
