package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

func TestVersionCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, nil, &out, testkit.Env(nil)); err != nil {
		t.Fatalf("version: %v", err)
	}
	if !strings.HasPrefix(out.String(), "danvan ") || !strings.Contains(out.String(), "built with go") {
		t.Errorf("version: got %q, want the version and the toolchain", out.String())
	}
}

// redisEnv is the environment of a command on the shared test Redis under prefix.
func redisEnv(prefix string) func(string) string {
	return testkit.Env(map[string]string{"REDIS_URL": "redis://" + redistest.Addr() + "/0", "REDIS_PREFIX": prefix})
}

// dump, then restore under another prefix (refused there once it has keys, unless forced).
func TestDumpRestoreCommands(t *testing.T) {
	ctx := context.Background()
	src := redistest.Prefix(t, "opsdump")
	s := storage.New(redis.NewClient(&redis.Options{Addr: redistest.Addr()}), src)
	defer s.Close()
	if err := s.Link(ctx, "tg:1", flows.Person{ID: "tg:1", Name: "Chị Mai"}); err != nil {
		t.Fatal(err)
	}
	var dump bytes.Buffer
	if err := run(ctx, []string{"dump"}, nil, &dump, redisEnv(src)); err != nil {
		t.Fatalf("dump: %v", err)
	}
	file := filepath.Join(t.TempDir(), "b.jsonl.gz")
	if err := run(ctx, []string{"dump", "-o", file}, nil, nil, redisEnv(src)); err != nil {
		t.Fatalf("dump -o: %v", err)
	}
	if b, err := os.ReadFile(file); err != nil || len(b) < 20 {
		t.Fatalf("dump -o: got %d bytes, %v", len(b), err)
	}

	dst := redistest.Prefix(t, "opsrestore")
	restore := func(args ...string) (string, error) {
		var out strings.Builder
		err := run(ctx, append([]string{"restore", "-prefix", dst}, args...), bytes.NewReader(dump.Bytes()), &out, redisEnv(src))
		return out.String(), err
	}
	out, err := restore()
	if err != nil || !strings.Contains(out, "restored 4 keys from "+src+" into "+dst) {
		t.Fatalf("restore: got %q, %v, want the person, the identity, the person's stamp and the reminders' revision restored", out, err)
	}
	d := storage.New(redis.NewClient(&redis.Options{Addr: redistest.Addr()}), dst)
	defer d.Close()
	if p, err := d.Person(ctx, "tg:1"); err != nil || p.Name != "Chị Mai" {
		t.Errorf("restored person: got %+v, %v", p, err)
	}
	if _, err := restore(); !errors.Is(err, storage.ErrNotEmpty) {
		t.Errorf("restore into a prefix with keys: got %v, want ErrNotEmpty", err)
	}
	if _, err := restore("-force"); err != nil {
		t.Errorf("restore -force: got %v, want nil", err)
	}
	if _, err := restore("-prefix", "a{b}"); err == nil {
		t.Errorf("restore -prefix with braces: got nil, want an error")
	}
}

func TestMigrateCommand(t *testing.T) {
	ctx := context.Background()
	prefix := redistest.Prefix(t, "opsmigrate")
	var out strings.Builder
	if err := run(ctx, []string{"migrate", "-status"}, nil, &out, redisEnv(prefix)); err != nil || !strings.Contains(out.String(), "key schema 0; this program knows up to 1\ndue: migration 1:") {
		t.Fatalf("migrate -status: got %q, %v", out.String(), err)
	}
	out.Reset()
	if err := run(ctx, []string{"migrate"}, nil, &out, redisEnv(prefix)); err != nil || !strings.HasSuffix(out.String(), "key schema 1, was 0\n") {
		t.Fatalf("migrate: got %q, %v", out.String(), err)
	}
}

// At start the bot warns of an evicting Redis, and refuses a store a newer program migrated.
func TestStartChecks(t *testing.T) {
	ctx := context.Background()
	srv := redistest.StartServer(t, "--maxmemory-policy", "allkeys-lru")
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	store := storage.New(rdb, "danvan:")
	defer store.Close()
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	problems, err := startChecks(ctx, store, log)
	if err != nil || len(problems) != 2 {
		t.Fatalf("startChecks: got %q, %v, want the eviction and persistence problems", problems, err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "allkeys-lru") {
		t.Errorf("log: got %q, want a warning naming the policy", logs.String())
	}

	rdb.Set(ctx, "danvan:meta:schema", storage.SchemaVersion+1, 0)
	vars := map[string]string{"TELEGRAM_BOT_TOKEN": "123:secret-token", "REDIS_URL": "redis://" + srv.Addr + "/0"}
	err = run(ctx, nil, strings.NewReader(""), &strings.Builder{}, testkit.Env(vars))
	if !errors.Is(err, storage.ErrSchemaTooNew) {
		t.Errorf("bot on a newer schema: got %v, want ErrSchemaTooNew", err)
	}
}
