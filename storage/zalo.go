package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// PutFile keeps f under token for ttl (a hash with PX), so whichever replica a file URL reaches
// serves it, and Redis forgets it when the URL expires, unless chat has been given perHour files
// in the last hour already: then nothing is kept and it reports false. The count comes first
// (INCR, EXPIRE NX: one MULTI on the chat's counter) and the file after (one MULTI on its key):
// a single MULTI cannot span both, whose keys lie in different Cluster slots, and putting first
// would write the bytes of a file that is then thrown away. Text is not kept: it is for a
// channel that cannot show the file, which never asks for it by URL. Errors never name the
// token: whoever reads the logs must not be able to fetch the file.
func (s *Store) PutFile(ctx context.Context, chat, token string, f flows.File, ttl time.Duration, perHour int) (bool, error) {
	if ttl < time.Millisecond {
		return false, fmt.Errorf("put file %s: ttl %v, want at least 1ms", f.Name, ttl)
	}
	n, err := s.countPut(ctx, chat)
	if err != nil || n > int64(perHour) {
		return false, err
	}
	key := s.key("file", token)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "name", f.Name, "kind", string(f.Kind), "mime", f.MIME, "data", f.Data)
		p.PExpire(ctx, key, ttl)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("put file %s: %w", f.Name, err)
	}
	return true, nil
}

// countPut counts a file put for chat and returns how many it had in the current window. The
// window starts with the first put and is not extended by later ones (EXPIRE NX).
func (s *Store) countPut(ctx context.Context, chat string) (int64, error) {
	key := s.key("fput", chat)
	var n *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, key)
		p.ExpireNX(ctx, key, filePutWindow)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count files of %s: %w", chat, err)
	}
	return n.Val(), nil
}

// File returns the file kept under token; flows.ErrNotFound when the token is unknown or its
// time is up. Errors never name the token (see PutFile).
func (s *Store) File(ctx context.Context, token string) (flows.File, error) {
	m, err := s.rdb.HGetAll(ctx, s.key("file", token)).Result()
	if err != nil {
		return flows.File{}, fmt.Errorf("load file: %w", err)
	}
	if len(m) == 0 {
		return flows.File{}, fmt.Errorf("load file: %w", flows.ErrNotFound)
	}
	return flows.File{Name: m["name"], Kind: flows.FileKind(m["kind"]), MIME: m["mime"], Data: []byte(m["data"])}, nil
}

// MenuSegments bounds the segments of one chat's menu (AddMenu).
const MenuSegments = 10

// Menu returns the Zalo chat's menu: the segments AddMenu kept, oldest first, or nil when there
// are none (never shown, or older than their TTL). It is read on every Zalo message, so it rides
// the hot path's pipeline.
func (s *Store) Menu(ctx context.Context, chat string) ([][]byte, error) {
	cmd := redis.NewStringSliceCmd(ctx, "lrange", s.key("zmenus", chat), 0, -1)
	err := s.batch.do(ctx, cmd)
	if err == nil {
		err = cmd.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("load menu %s: %w", chat, err)
	}
	return segments(cmd.Val()), nil
}

// addMenuScript appends a segment to a chat's menu, first emptying it when ARGV[2] is "1", and
// returns the segments up to and including the new one; nil, keeping nothing, when the menu
// already has ARGV[4] segments. KEYS[1]: the menu; ARGV: segment, replace, TTL in ms, maximum.
var addMenuScript = redis.NewScript(`
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
local n = redis.call('LLEN', KEYS[1])
if n >= tonumber(ARGV[4]) then return false end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('LRANGE', KEYS[1], 0, n)
`)

// AddMenu adds seg, the choices of one message (opaque to the store), to the chat's menu and
// keeps the menu for ttl, so a number typed to any replica chooses. With replace the menu holds
// seg alone. It returns the segments up to and including seg, in one step on the server: two
// messages pushed at once to one chat, from any replicas, each learn exactly the segments
// before their own and number their options after those. A menu of MenuSegments segments takes
// no more (nil, nil) until a reply replaces it: dropping the oldest would renumber the options
// of every message after it, so a key shown would choose another option.
func (s *Store) AddMenu(ctx context.Context, chat string, seg []byte, replace bool, ttl time.Duration) ([][]byte, error) {
	if ttl < time.Millisecond {
		return nil, fmt.Errorf("save menu %s: ttl %v, want at least 1ms", chat, ttl)
	}
	flag := "0"
	if replace {
		flag = "1"
	}
	cmd := s.evalBatched(ctx, addMenuScript, []string{s.key("zmenus", chat)}, seg, flag, ttl.Milliseconds(), MenuSegments)
	got, err := cmd.StringSlice()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("save menu %s: %w", chat, err)
	}
	return segments(got), nil
}

// segments turns Redis's strings into the segments' bytes; none is nil.
func segments(vals []string) [][]byte {
	if len(vals) == 0 {
		return nil
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out
}
