package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// PutFile keeps f under token for ttl (a hash with PX), so whichever replica a file URL reaches
// serves it, and Redis forgets it when the URL expires. Text is not kept: it is for a channel
// that cannot show the file, which never asks for it by URL.
func (s *Store) PutFile(ctx context.Context, token string, f flows.File, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return fmt.Errorf("put file %s: ttl %v, want at least 1ms", f.Name, ttl)
	}
	key := s.key("file", token)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "name", f.Name, "kind", string(f.Kind), "mime", f.MIME, "data", f.Data)
		p.PExpire(ctx, key, ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("put file %s: %w", f.Name, err)
	}
	return nil
}

// File returns the file kept under token; flows.ErrNotFound when the token is unknown or its
// time is up.
func (s *Store) File(ctx context.Context, token string) (flows.File, error) {
	m, err := s.rdb.HGetAll(ctx, s.key("file", token)).Result()
	if err != nil {
		return flows.File{}, fmt.Errorf("load file %s: %w", token, err)
	}
	if len(m) == 0 {
		return flows.File{}, fmt.Errorf("load file %s: %w", token, flows.ErrNotFound)
	}
	return flows.File{Name: m["name"], Kind: flows.FileKind(m["kind"]), MIME: m["mime"], Data: []byte(m["data"])}, nil
}

// Menu returns the Zalo chat's last choices as PutMenu kept them, or nil when there are none
// (never shown, or older than their TTL). It is read on every Zalo message, so it rides the
// hot path's pipeline.
func (s *Store) Menu(ctx context.Context, chat string) ([]byte, error) {
	cmd := redis.NewStringCmd(ctx, "get", s.key("zmenu", chat))
	err := s.batch.do(ctx, cmd)
	if err == nil {
		err = cmd.Err()
	}
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load menu %s: %w", chat, err)
	}
	return []byte(cmd.Val()), nil
}

// PutMenu keeps the chat's last choices (opaque to the store) for ttl, so a number typed to any
// replica chooses one of them.
func (s *Store) PutMenu(ctx context.Context, chat string, menu []byte, ttl time.Duration) error {
	if ttl < time.Millisecond {
		return fmt.Errorf("save menu %s: ttl %v, want at least 1ms", chat, ttl)
	}
	cmd := redis.NewStatusCmd(ctx, "set", s.key("zmenu", chat), menu, "px", strconv.FormatInt(ttl.Milliseconds(), 10))
	err := s.batch.do(ctx, cmd)
	if err == nil {
		err = cmd.Err()
	}
	if err != nil {
		return fmt.Errorf("save menu %s: %w", chat, err)
	}
	return nil
}
