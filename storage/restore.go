package storage

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limits of a restore's pipelines: at most this many keys, or about this many bytes of values,
// go to Redis in one round trip.
const (
	restoreBatch = 500
	restoreBytes = 8 << 20
	restoreChunk = 1000 // elements per RPUSH, SADD, HSET or ZADD of a large value
)

// ErrNotEmpty is returned by Restore for a prefix that already has keys, unless forced.
var ErrNotEmpty = errors.New("the prefix already has keys")

// ErrDumpTooNew is returned by Restore for a dump whose format or key schema is newer than this
// program knows: its keys might mean something this program would misread.
var ErrDumpTooNew = errors.New("the dump is newer than this program")

// ErrDumpTruncated is returned by Restore for a dump that ends before its last line: the keys
// read so far are written, the rest are missing.
var ErrDumpTruncated = errors.New("the dump is cut short")

// RestoreOptions changes how Restore writes.
type RestoreOptions struct {
	// Force writes into a prefix that already has keys: each key of the dump replaces the key of
	// the same name; keys the dump does not have stay.
	Force bool
}

// RestoreStats is what a restore wrote.
type RestoreStats struct {
	// Keys is the number of keys written.
	Keys int64
	// Schema is the key schema of the dump; a lower one than SchemaVersion needs Migrate.
	Schema int
	// From is the prefix the keys were dumped from.
	From string
}

// Restore reads a dump that Dump wrote (gzip-compressed or not) from r and writes its keys under
// the Store's prefix, which may differ from the one dumped, each with the time to live it had
// left when dumped. It refuses a dump whose format or schema is newer than this program
// (ErrDumpTooNew) and, unless opt.Force, a prefix that has any key (ErrNotEmpty), before writing
// anything. It streams: memory holds one batch of keys. Stop the bots first: a restore is not
// atomic, and a bot writing meanwhile would mix its keys with the dump's.
func (s *Store) Restore(ctx context.Context, r io.Reader, opt RestoreOptions) (RestoreStats, error) {
	br, err := openDump(r)
	if err != nil {
		return RestoreStats{}, err
	}
	h, err := readHeader(br)
	if err != nil {
		return RestoreStats{}, err
	}
	st := RestoreStats{Schema: h.Schema, From: h.Prefix}
	if !opt.Force {
		switch found, err := s.anyKey(ctx); {
		case err != nil:
			return st, fmt.Errorf("restore: %w", err)
		case found:
			return st, fmt.Errorf("restore into %q: %w (restore into an empty prefix, or force it)", s.prefix, ErrNotEmpty)
		}
	}
	w := &restoreWriter{s: s, from: h.Prefix, pipe: s.rdb.Pipeline()}
	err = w.copy(ctx, br)
	st.Keys = w.keys
	if err != nil {
		return st, fmt.Errorf("restore into %q after %d keys: %w", s.prefix, w.keys, err)
	}
	return st, nil
}

// openDump returns a reader of r's lines, through gzip when r starts like gzip.
func openDump(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(2)
	if err != nil {
		return nil, fmt.Errorf("read the dump: %w", err)
	}
	if magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("read the dump: %w", err)
	}
	return bufio.NewReaderSize(zr, 1<<20), nil
}

// readHeader reads and checks a dump's first line.
func readHeader(br *bufio.Reader) (dumpHeader, error) {
	line, err := br.ReadBytes('\n')
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return dumpHeader{}, fmt.Errorf("read the dump's header: %w", ErrDumpTruncated)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return dumpHeader{}, fmt.Errorf("read the dump's header: %w", err)
	}
	var h dumpHeader
	if err := json.Unmarshal(line, &h); err != nil || h.Format != DumpFormat {
		return h, fmt.Errorf("read the dump's header: not a %s file", DumpFormat)
	}
	switch {
	case h.Version > dumpVersion:
		return h, fmt.Errorf("dump format version %d, this program reads up to %d: %w", h.Version, dumpVersion, ErrDumpTooNew)
	case h.Schema > SchemaVersion:
		return h, fmt.Errorf("dump of key schema %d, this program knows up to %d; restore it with a newer danvan: %w", h.Schema, SchemaVersion, ErrDumpTooNew)
	}
	return h, nil
}

// restoredFingerprint replaces the tallies' fingerprints in a restored dump: it matches no
// model, so the next start recounts every period it reads, mending tallies the dump caught
// between a submission and its tally script, and abandons a recount caught half-way.
const restoredFingerprint = "restored"

// isTallyMeta reports whether rel (a key without the prefix) is a period's tally key of kind:
// {t:<period>}:<kind>.
func isTallyMeta(rel, kind string) bool {
	return strings.HasPrefix(rel, "{t:") && strings.HasSuffix(rel, "}:"+kind)
}

// restoreWriter queues the keys of a dump in pipelines. While one pipeline is on its way to
// Redis the next is filled: decoding and Redis's work overlap, on their own cores.
type restoreWriter struct {
	s      *Store
	from   string // the dump's prefix
	pipe   redis.Pipeliner
	queued int             // keys in pipe
	bytes  int             // bytes of dump lines in pipe
	full   chan filledPipe // filled pipelines, to send in order
	keys   int64           // keys written; the sender's until copy returns
}

// filledPipe is a filled pipeline and how many keys it writes.
type filledPipe struct {
	pipe redis.Pipeliner
	keys int
}

// copy writes every key line of br, up to and including the end line.
func (w *restoreWriter) copy(ctx context.Context, br *bufio.Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w.full = make(chan filledPipe, 1)
	sent := make(chan error, 1)
	go func() {
		err := w.send(ctx)
		if err != nil {
			cancel() // the reader stops at its next batch
		}
		sent <- err
	}()
	want, err := w.read(ctx, br)
	close(w.full)
	if sendErr := <-sent; sendErr != nil {
		return sendErr
	}
	if err == nil && want != w.keys {
		err = fmt.Errorf("the dump says %d keys, it held %d", want, w.keys)
	}
	return err
}

// read queues every key line and returns the count the end line gives. A dump cut short has
// what was read written, so the operator can see how far it went.
func (w *restoreWriter) read(ctx context.Context, br *bufio.Reader) (int64, error) {
	for n := 2; ; n++ {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) && len(line) == 0 || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, errors.Join(fmt.Errorf("%w at line %d", ErrDumpTruncated, n), w.flush(ctx))
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("read line %d: %w", n, err)
		}
		var l dumpLine
		if err := json.Unmarshal(line, &l); err != nil {
			return 0, fmt.Errorf("line %d: %w", n, err)
		}
		if l.End {
			return l.Keys, w.flush(ctx)
		}
		if err := w.add(ctx, l); err != nil {
			return 0, fmt.Errorf("line %d: %w", n, err)
		}
		w.bytes += len(line)
		if w.queued >= restoreBatch || w.bytes >= restoreBytes {
			if err := w.flush(ctx); err != nil {
				return 0, err
			}
		}
	}
}

// add queues the commands that write one key: DEL (SCAN may have dumped the key twice, and a
// forced restore replaces what is there), the value, then its time to live.
func (w *restoreWriter) add(ctx context.Context, l dumpLine) error {
	rel, err := decodeCell(l.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	// A person's stamp carries the prefix in its hash tag too ("P{P person:<id>}:stamp"): it
	// follows the record to the new prefix, or it would leave its slot on Cluster.
	rel = strings.Replace(rel, "{"+w.from, "{"+w.s.prefix, 1)
	key := w.s.prefix + rel
	ttl := time.Duration(l.TTL) * time.Millisecond
	p := w.pipe
	if l.Type != "string" {
		p.Del(ctx, key) // SET replaces whatever a key held; the others add to it
	}
	switch l.Type {
	case "string":
		v, err := decodeCell(l.Value)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if isTallyMeta(rel, "fp") {
			v = restoredFingerprint // a dump is no point in time: the next start recounts
		}
		p.Set(ctx, key, v, ttl)
		ttl = 0
	case "hash", "list", "set", "zset":
		if err := w.addCollection(ctx, key, l.Type, l.Value); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
	default:
		return fmt.Errorf("%s: unknown type %q", rel, l.Type)
	}
	if ttl > 0 {
		p.PExpire(ctx, key, ttl)
	}
	w.queued++
	return nil
}

// addCollection queues the writes of a hash, list, set or sorted set, in chunks.
func (w *restoreWriter) addCollection(ctx context.Context, key, typ string, raw json.RawMessage) error {
	var (
		vals []string
		err  error
		step = 1
	)
	switch typ {
	case "hash":
		vals, err = decodeHash(raw)
		step = 2
	case "zset":
		vals, err = decodePairs(raw)
		step = 2
	default:
		vals, err = decodeCells(raw)
	}
	if err != nil {
		return err
	}
	if typ == "hash" && isTallyMeta(strings.TrimPrefix(key, w.s.prefix), "build") {
		for i := 0; i+1 < len(vals); i += 2 {
			if vals[i] == "fp" {
				vals[i+1] = restoredFingerprint // an interrupted recount is not resumed from a copy
			}
		}
	}
	if typ == "set" && w.from != w.s.prefix {
		for i, m := range vals {
			// The tally sets hold key names: they follow their keys to the new prefix.
			if rest, ok := strings.CutPrefix(m, w.from); ok {
				vals[i] = w.s.prefix + rest
			}
		}
	}
	for len(vals) > 0 {
		n := min(len(vals), restoreChunk*step)
		if err := w.queue(ctx, key, typ, vals[:n]); err != nil {
			return err
		}
		vals = vals[n:]
	}
	return nil
}

// queue adds one write command of vals (pairs for a hash or sorted set) to key.
func (w *restoreWriter) queue(ctx context.Context, key, typ string, vals []string) error {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	switch typ {
	case "hash":
		w.pipe.HSet(ctx, key, args...)
	case "list":
		w.pipe.RPush(ctx, key, args...)
	case "set":
		w.pipe.SAdd(ctx, key, args...)
	case "zset":
		zs := make([]redis.Z, 0, len(vals)/2)
		for i := 0; i+1 < len(vals); i += 2 {
			score, err := strconv.ParseFloat(vals[i+1], 64)
			if err != nil {
				return fmt.Errorf("score of %q: %w", vals[i], err)
			}
			zs = append(zs, redis.Z{Member: vals[i], Score: score})
		}
		w.pipe.ZAdd(ctx, key, zs...)
	}
	return nil
}

// flush hands the queued pipeline to the sender and starts a new one.
func (w *restoreWriter) flush(ctx context.Context) error {
	if w.queued == 0 {
		return nil
	}
	b := filledPipe{pipe: w.pipe, keys: w.queued}
	w.pipe, w.queued, w.bytes = w.s.rdb.Pipeline(), 0, 0
	select {
	case w.full <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// send runs the filled pipelines in order until there are no more, or one fails.
func (w *restoreWriter) send(ctx context.Context) error {
	for b := range w.full {
		cmds, err := b.pipe.Exec(ctx)
		if err != nil {
			for _, c := range cmds {
				if c.Err() != nil {
					return fmt.Errorf("write %v: %w", c.Args()[1], c.Err())
				}
			}
			return err
		}
		w.keys += int64(b.keys)
	}
	return nil
}
