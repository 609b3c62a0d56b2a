package storage

// Backups: Dump writes every key under the prefix, Restore writes them back.
//
// # Format
//
// A dump is gzip-compressed JSON lines, so `zcat backup.jsonl.gz | jq` reads it:
//
//	{"format":"danvan-dump","version":1,"schema":1,"prefix":"danvan:","created":"2026-03-16T01:00:00Z","redis":"7.0.15"}
//	{"key":"person:u1","type":"string","value":{"json":{"id":"u1","name":"Chị Mai"}}}
//	{"key":"session:tg:1","type":"string","ttl_ms":34559987000,"value":{"json":{"v":3}}}
//	{"key":"{u:w1-pn}:hist:2026-Q1:membership","type":"list","value":[{"json":{"version":1}}]}
//	{"key":"{t:2026-Q1}:tally:w1:*:membership","type":"hash","value":{"n":"1","s:members":"1100"}}
//	{"end":true,"keys":4}
//
// The header names the format and its version, the key schema the keys follow (Schema, the
// P meta:schema key) and the prefix they were under. Every key that starts with the prefix is
// taken, so two stores' prefixes must never start one another ("danvan:" and "danvan:copy:"). A key is written without that prefix, so
// Restore can put it under another one. ttl_ms is the time the key had left when it was read,
// absent for a key that does not expire; Restore gives it that time again, counted from the
// restore (relative TTLs: a dump restored a week later does not expire every session a week
// early). The last line counts the keys, so a dump cut short (a full disk, a killed process) is
// told from a whole one.
//
// Values are typed: a string is a cell; a hash an object of cells by field (an array of
// [field, value] cell pairs if a field name is not UTF-8); a list an array of cells in order; a
// set an array of cells, sorted; a sorted set an array of [member cell, score] pairs in order,
// the score a string ("1.5", "+Inf"). A cell is a Redis string written in the most readable way
// that gives back the same bytes: {"json": …} for a JSON object or array on one line (most of
// our values), a JSON string for other UTF-8 text, {"base64": "…"} for other bytes (a chart).
//
// Why not Redis's DUMP and RESTORE: their payload is the RDB encoding of one Redis version; an
// older server refuses a newer one's payload, and nobody can read it, grep it or take one
// person's data out of it. The typed lines are portable across Redis versions (and to other
// stores) and readable, for the price of encoding them, which is cheap next to the round trips.
// A type the store never writes (a stream) stops the dump with an error rather than losing it.
//
// # Consistency
//
// A dump is a walk with SCAN, not a snapshot. Every key that exists from the start to the end of
// the walk is written (SCAN may hand a key out twice: Restore then writes it twice, the same),
// and each value is read whole by one command, but keys are read at different moments: a key
// written or deleted during the dump may be in it or not, and the keys one write changes
// together (a submission, its history, its unit's index) may be caught partly before and partly
// after that write. On Cluster each master is walked on its own, at the same time. So take a
// dump while the bots are stopped or quiet (nobody reports at night) for a consistent copy; for
// a point-in-time copy of a busy store, copy Redis's own RDB or AOF files. Restore writes the
// tallies' fingerprints as "restored", so the first start after it recounts the periods in use
// from the submissions, which mends tallies caught mid-write.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
)

// DumpFormat names the file format in a dump's header.
const DumpFormat = "danvan-dump"

// dumpVersion is the version of the line format itself, apart from the key schema.
const dumpVersion = 1

// dumpHeader is a dump's first line.
type dumpHeader struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Schema  int       `json:"schema"`
	Prefix  string    `json:"prefix"`
	Created time.Time `json:"created"`
	Redis   string    `json:"redis,omitempty"`
}

// dumpLine is any line after the header: a key, or the end.
type dumpLine struct {
	Key   json.RawMessage `json:"key"`
	Type  string          `json:"type"`
	TTL   int64           `json:"ttl_ms"`
	Value json.RawMessage `json:"value"`
	End   bool            `json:"end"`
	Keys  int64           `json:"keys"`
}

// dumpEnd is a dump's last line.
type dumpEnd struct {
	End  bool  `json:"end"`
	Keys int64 `json:"keys"`
}

// record is one key as read from Redis, its name without the prefix.
type record struct {
	key  string
	typ  string
	ttl  time.Duration // 0: does not expire
	str  string
	hash map[string]string
	list []string // a list's elements, or a set's members
	zset []redis.Z
}

// appendRecord appends r as one line.
func appendRecord(b []byte, r record) []byte {
	b = append(b, `{"key":`...)
	b = appendCell(b, r.key, false)
	b = append(b, `,"type":"`...)
	b = append(b, r.typ...)
	b = append(b, '"')
	if r.ttl > 0 {
		b = append(b, `,"ttl_ms":`...)
		b = strconv.AppendInt(b, max(r.ttl.Milliseconds(), 1), 10)
	}
	b = append(b, `,"value":`...)
	switch r.typ {
	case "string":
		b = appendCell(b, r.str, true)
	case "hash":
		b = appendHash(b, r.hash)
	case "list", "set":
		b = appendCells(b, r.list)
	case "zset":
		b = appendZSet(b, r.zset)
	}
	return append(b, "}\n"...)
}

func appendCells(b []byte, vals []string) []byte {
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCell(b, v, true)
	}
	return append(b, ']')
}

// appendHash writes h's fields in order, as an object when every field name is UTF-8.
func appendHash(b []byte, h map[string]string) []byte {
	fields := make([]string, 0, len(h))
	text := true
	for f := range h {
		fields = append(fields, f)
		text = text && utf8.ValidString(f)
	}
	slices.Sort(fields)
	open, sep, end := byte('{'), byte(':'), byte('}')
	if !text {
		open, sep, end = '[', ',', ']'
	}
	b = append(b, open)
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		if !text {
			b = append(b, '[')
		}
		b = appendCell(b, f, false)
		b = append(b, sep)
		b = appendCell(b, h[f], true)
		if !text {
			b = append(b, ']')
		}
	}
	return append(b, end)
}

func appendZSet(b []byte, zs []redis.Z) []byte {
	b = append(b, '[')
	for i, z := range zs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		m, _ := z.Member.(string) // ZRANGE's members are strings
		b = appendCell(b, m, true)
		b = append(b, ',', '"')
		b = strconv.AppendFloat(b, z.Score, 'g', -1, 64)
		b = append(b, '"', ']')
	}
	return append(b, ']')
}

// appendCell appends s as a cell: raw JSON (when json allows and s is a JSON object or array on
// one line), a JSON string (UTF-8), or base64.
func appendCell(b []byte, s string, json bool) []byte {
	switch {
	case json && looksJSON(s):
		b = append(b, `{"json":`...)
		b = append(b, s...)
		return append(b, '}')
	case utf8.ValidString(s):
		return appendString(b, s)
	default:
		b = append(b, `{"base64":"`...)
		b = base64.StdEncoding.AppendEncode(b, []byte(s))
		return append(b, '"', '}')
	}
}

// looksJSON reports whether s is a JSON object or array that can stand in a line as it is and
// decodes back to the same bytes: UTF-8, no line break, no space around it.
func looksJSON(s string) bool {
	if len(s) < 2 || !(s[0] == '{' && s[len(s)-1] == '}' || s[0] == '[' && s[len(s)-1] == ']') {
		return false
	}
	if strings.ContainsAny(s, "\r\n") || !utf8.ValidString(s) {
		return false
	}
	return json.Valid([]byte(s))
}

const hexDigits = "0123456789abcdef"

// appendString appends s, valid UTF-8, as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeCell reads a cell back to the bytes it stands for.
func decodeCell(raw json.RawMessage) (string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var c struct {
		JSON   json.RawMessage `json:"json"`
		Base64 *string         `json:"base64"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", err
	}
	switch {
	case c.JSON != nil:
		return string(c.JSON), nil
	case c.Base64 != nil:
		b, err := base64.StdEncoding.DecodeString(*c.Base64)
		return string(b), err
	default:
		return "", errors.New("a cell is a string, {\"json\": …} or {\"base64\": …}")
	}
}

// decodeCells reads an array of cells.
func decodeCells(raw json.RawMessage) ([]string, error) {
	var cells []json.RawMessage
	if err := json.Unmarshal(raw, &cells); err != nil {
		return nil, err
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		var err error
		if out[i], err = decodeCell(c); err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
	}
	return out, nil
}

// decodePairs reads an array of [cell, cell] pairs (a hash with odd field names, a sorted set
// with its scores as strings) into the flat list field, value, field, value…
func decodePairs(raw json.RawMessage) ([]string, error) {
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal(raw, &pairs); err != nil {
		return nil, err
	}
	out := make([]string, 0, 2*len(pairs))
	for i, p := range pairs {
		for _, c := range p {
			v, err := decodeCell(c)
			if err != nil {
				return nil, fmt.Errorf("pair %d: %w", i, err)
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// decodeHash reads a hash's object (or pairs) into the flat list field, value, field, value…
func decodeHash(raw json.RawMessage) ([]string, error) {
	if len(raw) > 0 && raw[0] == '[' {
		return decodePairs(raw)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	out := make([]string, 0, 2*len(obj))
	for f, c := range obj {
		v, err := decodeCell(c)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", f, err)
		}
		out = append(out, f, v)
	}
	return out, nil
}
