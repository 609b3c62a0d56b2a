package storage

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// dumpBatch is how many keys Dump reads per round trip; memory holds one batch of values per
// node at a time (a served chart is the largest value: a few hundred KB).
const dumpBatch = 500

// DumpStats is what a dump holds.
type DumpStats struct {
	// Keys is the number of keys written.
	Keys int64
	// Schema is the key schema the store was at (P meta:schema).
	Schema int
}

// Dump writes every key under the Store's prefix to w as gzip-compressed JSON lines (see
// backup.go for the format and what a dump guarantees: it is a SCAN, not a snapshot), with a
// header dated now. It streams: memory holds one batch of keys per node, whatever the store's
// size. On Cluster it walks each master.
func (s *Store) Dump(ctx context.Context, w io.Writer, now time.Time) (DumpStats, error) {
	schema, err := s.Schema(ctx)
	if err != nil {
		return DumpStats{}, err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return DumpStats{}, err
	}
	h := dumpHeader{Format: DumpFormat, Version: dumpVersion, Schema: schema, Prefix: s.prefix, Created: now.UTC(), Redis: s.redisVersion(ctx)}
	dw := &dumpWriter{zw: zw}
	if err := dw.json(h); err != nil {
		return DumpStats{}, err
	}
	err = s.forEachNode(ctx, func(ctx context.Context, c *redis.Client) error {
		return s.dumpNode(ctx, c, dw)
	})
	if err != nil {
		return DumpStats{Keys: dw.keys, Schema: schema}, fmt.Errorf("dump %q: %w", s.prefix, err)
	}
	if err := dw.json(dumpEnd{End: true, Keys: dw.keys}); err != nil {
		return DumpStats{Keys: dw.keys, Schema: schema}, err
	}
	if err := zw.Close(); err != nil {
		return DumpStats{Keys: dw.keys, Schema: schema}, fmt.Errorf("dump %q: %w", s.prefix, err)
	}
	return DumpStats{Keys: dw.keys, Schema: schema}, nil
}

// dumpNode writes the keys of one node. One goroutine reads batches from Redis while this one
// encodes and compresses the batch before, so Redis's work and ours overlap.
func (s *Store) dumpNode(ctx context.Context, c *redis.Client, dw *dumpWriter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []record, 1)
	read := make(chan error, 1)
	go func() {
		defer close(batches)
		read <- scanKeys(ctx, c, s.prefix, "", dumpBatch, func(keys []string) error {
			recs, err := s.readBatch(ctx, c, keys, 3)
			if err != nil {
				return err
			}
			select {
			case batches <- recs:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var b []byte
	for recs := range batches {
		b = b[:0]
		for _, r := range recs {
			b = appendRecord(b, r)
		}
		if err := dw.write(b, len(recs)); err != nil {
			cancel()
			for range batches { // let the reader see the cancel and end
			}
			return err
		}
	}
	return <-read
}

// dumpWriter is the one output the nodes' walks share.
type dumpWriter struct {
	mu   sync.Mutex
	zw   *gzip.Writer
	keys int64
}

func (w *dumpWriter) write(b []byte, keys int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keys += int64(keys)
	if _, err := w.zw.Write(b); err != nil {
		return fmt.Errorf("write the dump: %w", err)
	}
	return nil
}

// json writes v as one line.
func (w *dumpWriter) json(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return w.write(append(b, '\n'), 0)
}

// redisVersion is the version of the Redis the Store talks to, for the dump's header; "" when
// INFO is not allowed.
func (s *Store) redisVersion(ctx context.Context) string {
	info, err := s.rdb.Info(ctx, "server").Result()
	if err != nil {
		return ""
	}
	return parseInfo(info)["redis_version"]
}

// readBatch reads the type, value and time to live of keys on c, in two pipelined round trips.
// A key deleted meanwhile is left out; one whose type changed meanwhile is read again, up to
// tries times.
func (s *Store) readBatch(ctx context.Context, c *redis.Client, keys []string, tries int) ([]record, error) {
	types := make([]*redis.StatusCmd, len(keys))
	if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read types on %s: %w", c.Options().Addr, err)
	}
	vals := make([]redis.Cmder, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			if vals[i] = readValue(ctx, p, types[i].Val(), k); vals[i] != nil {
				ttls[i] = p.PTTL(ctx, k)
			} else if t := types[i].Val(); t != "none" {
				return fmt.Errorf("key %q is a %s, which a dump cannot hold", k, t)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) && !redis.HasErrorPrefix(err, "WRONGTYPE") {
		return nil, fmt.Errorf("read values on %s: %w", c.Options().Addr, err)
	}
	return s.records(ctx, c, keys, types, vals, ttls, tries)
}

// readValue queues the read of a key of type typ; nil for a type it cannot read.
func readValue(ctx context.Context, p redis.Pipeliner, typ, key string) redis.Cmder {
	switch typ {
	case "string":
		return p.Get(ctx, key)
	case "hash":
		return p.HGetAll(ctx, key)
	case "list":
		return p.LRange(ctx, key, 0, -1)
	case "set":
		return p.SMembers(ctx, key)
	case "zset":
		return p.ZRangeWithScores(ctx, key, 0, -1)
	}
	return nil
}

// records turns the replies into records, reading again the keys whose type changed between
// the two round trips.
func (s *Store) records(ctx context.Context, c *redis.Client, keys []string, types []*redis.StatusCmd, vals []redis.Cmder, ttls []*redis.DurationCmd, tries int) ([]record, error) {
	out := make([]record, 0, len(keys))
	var again []string
	for i, k := range keys {
		if vals[i] == nil {
			continue
		}
		err := vals[i].Err()
		if err == nil {
			err = ttls[i].Err()
		}
		switch {
		case errors.Is(err, redis.Nil) || (err == nil && ttls[i].Val() == -2):
			continue // deleted or expired between the round trips
		case redis.HasErrorPrefix(err, "WRONGTYPE"):
			again = append(again, k)
			continue
		case err != nil:
			return nil, fmt.Errorf("read %s: %w", k, err)
		}
		r := record{key: strings.TrimPrefix(k, s.prefix), typ: types[i].Val()}
		if d := ttls[i].Val(); d > 0 {
			r.ttl = d
		}
		if fillValue(&r, vals[i]) {
			out = append(out, r)
		}
	}
	if len(again) > 0 {
		if tries <= 1 {
			return nil, fmt.Errorf("read %d keys: their types kept changing", len(again))
		}
		more, err := s.readBatch(ctx, c, again, tries-1)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// fillValue copies the reply of cmd into r; false when the key has gone (an empty hash, list,
// set or sorted set does not exist in Redis).
func fillValue(r *record, cmd redis.Cmder) bool {
	switch cmd := cmd.(type) {
	case *redis.StringCmd:
		r.str = cmd.Val()
		return true
	case *redis.MapStringStringCmd:
		r.hash = cmd.Val()
		return len(r.hash) > 0
	case *redis.StringSliceCmd:
		r.list = cmd.Val()
		if r.typ == "set" {
			slices.Sort(r.list)
		}
		return len(r.list) > 0
	case *redis.ZSliceCmd:
		r.zset = cmd.Val()
		return len(r.zset) > 0
	}
	return false
}
