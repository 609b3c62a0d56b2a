package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"danvan/config"
	"danvan/internal/buildinfo"
	"danvan/storage"
)

// command is a subcommand of operators: what it is given, like run.
type command func(ctx context.Context, args []string, in io.Reader, out io.Writer, getenv func(string) string) error

// opsCommands are the subcommands besides the bot and the demo. Each reads the same
// configuration as the bot (env file, YAML, flags) plus flags of its own.
var opsCommands = map[string]command{
	"version":   runVersion,
	"dump":      runDump,
	"restore":   runRestore,
	"migrate":   runMigrate,
	"directory": runDirectory,
}

// runVersion prints the module version and revision the binary was built from.
func runVersion(_ context.Context, args []string, _ io.Reader, out io.Writer, _ func(string) string) error {
	if len(args) > 0 {
		return fmt.Errorf("danvan version takes no arguments, got %q", args)
	}
	_, err := io.WriteString(out, buildinfo.Read().String())
	return err
}

// runDump writes every key of the store to out (or -o), gzip-compressed JSON lines.
func runDump(ctx context.Context, args []string, _ io.Reader, out io.Writer, getenv func(string) string) error {
	var file string
	cfg, err := config.LoadWith("danvan dump", args, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "o", "", "write the dump to `file` (whole or not at all: a .tmp renamed at the end) instead of standard output")
	})
	if err != nil {
		return err
	}
	if file == "" && isTerminal(out) {
		return errors.New("danvan dump writes gzip: send it to a file (danvan dump > backup.jsonl.gz, or -o backup.jsonl.gz)")
	}
	log := newLog(cfg)
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	st, err := writeOut(out, file, func(w io.Writer) (storage.DumpStats, error) { return store.Dump(ctx, w, start) })
	if err != nil {
		return err
	}
	log.Info("dumped", "keys", st.Keys, "prefix", cfg.RedisPrefix, "schema", st.Schema, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// writeOut runs dump into out or, when file is set, into file.tmp, renamed to file once whole
// and synced to disk, so a failed dump never leaves a file that looks like a backup.
func writeOut(out io.Writer, file string, dump func(io.Writer) (storage.DumpStats, error)) (storage.DumpStats, error) {
	if file == "" {
		bw := bufio.NewWriterSize(out, 1<<20)
		st, err := dump(bw)
		return st, errors.Join(err, bw.Flush())
	}
	tmp := file + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return storage.DumpStats{}, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	st, err := dump(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return st, err
}

// runRestore writes a dump read from in into the store's prefix (or -prefix).
func runRestore(ctx context.Context, args []string, in io.Reader, out io.Writer, getenv func(string) string) error {
	var (
		force  bool
		prefix string
	)
	cfg, err := config.LoadWith("danvan restore", args, getenv, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "write into a prefix that already has keys (a key of the dump replaces the one of the same name; the others stay)")
		fs.StringVar(&prefix, "prefix", "", "write the keys under this `prefix` instead of redis_prefix (REDIS_PREFIX)")
	})
	if err != nil {
		return err
	}
	if prefix != "" {
		if strings.ContainsAny(prefix, "{}") {
			return fmt.Errorf("-prefix %q: a prefix may not hold { or } (it would become every key's Cluster hash tag)", prefix)
		}
		cfg.RedisPrefix = prefix
	}
	if isTerminal(in) {
		return errors.New("danvan restore reads a dump from standard input: danvan restore < backup.jsonl.gz")
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	problems, err := store.CheckRedis(ctx)
	for _, p := range problems {
		fmt.Fprintln(out, "warning:", p)
	}
	if err != nil {
		return err
	}
	st, err := store.Restore(ctx, bufio.NewReaderSize(in, 1<<20), storage.RestoreOptions{Force: force})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %d keys from %s into %s (key schema %d)\n", st.Keys, st.From, cfg.RedisPrefix, st.Schema)
	if st.Schema < storage.SchemaVersion {
		fmt.Fprintf(out, "the dump's key schema is older than this program's (%d): run danvan migrate, or start the bot, which migrates\n", storage.SchemaVersion)
	}
	return nil
}

// runMigrate brings the key schema to this program's, or with -status only says where it is.
func runMigrate(ctx context.Context, args []string, _ io.Reader, out io.Writer, getenv func(string) string) error {
	var status bool
	cfg, err := config.LoadWith("danvan migrate", args, getenv, func(fs *flag.FlagSet) {
		fs.BoolVar(&status, "status", false, "print the store's key schema and the migrations due; change nothing")
	})
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if status {
		return printSchema(ctx, store, out)
	}
	from, err := store.Migrate(ctx, func(m storage.Migration) { fmt.Fprintf(out, "migration %d: %s\n", m.Version, m.Name) })
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "key schema %d, was %d\n", storage.SchemaVersion, from)
	return nil
}

// printSchema says which schema the store is at and which migrations a migrate would run.
func printSchema(ctx context.Context, store *storage.Store, out io.Writer) error {
	cur, err := store.Schema(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "key schema %d; this program knows up to %d\n", cur, storage.SchemaVersion)
	if cur > storage.SchemaVersion {
		return fmt.Errorf("schema %d: %w", cur, storage.ErrSchemaTooNew)
	}
	for _, m := range storage.Migrations()[cur:] {
		fmt.Fprintf(out, "due: migration %d: %s\n", m.Version, m.Name)
	}
	return nil
}

// startChecks is what the bot checks once connected, before it serves: Redis's version (too
// old refuses to start) and settings (each problem logged as a warning and returned, for a
// readiness check to show), then the key schema, migrated to this program's (a newer one
// refuses to start).
func startChecks(ctx context.Context, store *storage.Store, log *slog.Logger) ([]string, error) {
	problems, err := store.CheckRedis(ctx)
	for _, p := range problems {
		log.Warn("Redis is not safe for the reports: " + p)
	}
	if err != nil {
		return problems, err
	}
	from, err := store.Migrate(ctx, func(m storage.Migration) {
		log.Info("migrating the key schema", "to", m.Version, "step", m.Name)
	})
	if err != nil {
		return problems, err
	}
	if from < storage.SchemaVersion {
		log.Info("key schema migrated", "from", from, "to", storage.SchemaVersion)
	}
	return problems, nil
}

// logOutput is where the operators' log goes: standard error, a buffer in tests.
var logOutput io.Writer = os.Stderr

// newLog is the operators' log on logOutput, at the configured level, as text (logfmt) or JSON
// lines for a log shipper.
func newLog(cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.SlogLevel()}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(logOutput, opts))
	}
	return slog.New(slog.NewTextHandler(logOutput, opts))
}

// isTerminal reports whether f is a terminal, where gzip must not go and a dump cannot come from.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
