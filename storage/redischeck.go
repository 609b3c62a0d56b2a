package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// MinRedis is the oldest Redis the store's commands and scripts run on: EXPIRE NX (Failure,
// PutFile) and SET with both NX and GET (Claim) came with 7.0; GETDEL (Redeem) with 6.2, SET
// KEEPTTL (the submit script) with 6.0, and the scripts read JSON with cjson, there since 2.6.
const MinRedis = "7.0.0"

// ErrRedisTooOld is returned by CheckRedis for a server older than MinRedis: the first invite
// code or file would fail with a syntax error, long after the bot started.
var ErrRedisTooOld = errors.New("redis is too old")

// nodeSettings is what CheckRedis learns of one server.
type nodeSettings struct {
	addr    string
	version string
	policy  string // maxmemory-policy
	aof     bool
	// rdb is "on" when snapshots are scheduled (save is set) or, without CONFIG, when one was
	// taken since the server started; "off" when save is empty; "unknown" otherwise.
	rdb string
}

// CheckRedis reads the settings of every server that holds keys (each master on Cluster) and
// returns what an operator must hear about, one sentence each: an eviction policy other than
// noeviction (Redis would delete reports and drafts, silently, when memory is full) and no
// persistence at all (a restart would lose everything). It fails, wrapping ErrRedisTooOld, for a
// server older than MinRedis. It asks CONFIG GET, which managed services often forbid, and
// falls back to INFO.
func (s *Store) CheckRedis(ctx context.Context) ([]string, error) {
	var (
		mu    sync.Mutex
		nodes []nodeSettings
	)
	err := s.forEachNode(ctx, func(ctx context.Context, c *redis.Client) error {
		n, err := readSettings(ctx, c)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		nodes = append(nodes, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check redis: %w", err)
	}
	slices.SortFunc(nodes, func(a, b nodeSettings) int { return strings.Compare(a.addr, b.addr) })
	var (
		problems []string
		errs     []error
	)
	for _, n := range nodes {
		p, err := judge(n)
		problems = append(problems, p...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return problems, errors.Join(errs...)
}

// readSettings asks one server for its version (INFO) and settings (CONFIG GET, else INFO).
func readSettings(ctx context.Context, c *redis.Client) (nodeSettings, error) {
	n := nodeSettings{addr: c.Options().Addr}
	raw, err := c.Info(ctx, "server", "memory", "persistence").Result()
	if err != nil {
		return n, fmt.Errorf("INFO on %s: %w", n.addr, err)
	}
	info := parseInfo(raw)
	n.version = info["redis_version"]
	cfg, err := configGet(ctx, c, "maxmemory-policy", "appendonly", "save")
	if err == nil {
		n.policy, n.aof = cfg["maxmemory-policy"], cfg["appendonly"] == "yes"
		n.rdb = "off"
		if strings.TrimSpace(cfg["save"]) != "" {
			n.rdb = "on"
		}
		return n, nil
	}
	// CONFIG is forbidden or renamed: INFO tells the policy and AOF, and whether a snapshot was
	// taken since the server started, but not the save schedule.
	n.policy, n.aof = info["maxmemory_policy"], info["aof_enabled"] == "1"
	n.rdb = "unknown"
	if saves, _ := strconv.Atoi(info["rdb_saves"]); saves > 0 {
		n.rdb = "on"
	}
	return n, nil
}

// configGet reads parameters with CONFIG GET, one call each (several in one call need 7.0, and
// the version is what is being checked).
func configGet(ctx context.Context, c *redis.Client, params ...string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range params {
		m, err := c.ConfigGet(ctx, p).Result()
		if err != nil {
			return nil, err
		}
		v, ok := m[p]
		if !ok {
			return nil, fmt.Errorf("CONFIG GET %s: no such parameter", p)
		}
		out[p] = v
	}
	return out, nil
}

// judge turns one server's settings into problems, and an error when it is too old.
func judge(n nodeSettings) ([]string, error) {
	var problems []string
	if n.policy != "noeviction" {
		problems = append(problems, fmt.Sprintf("redis at %s has maxmemory-policy %s: when its memory is full it deletes keys (reports, drafts, reminder marks) without an error; set maxmemory-policy noeviction", n.addr, n.policy))
	}
	switch {
	case n.aof:
	case n.rdb == "off":
		problems = append(problems, fmt.Sprintf("redis at %s keeps nothing on disk (appendonly no, save \"\"): a restart loses every report; set appendonly yes", n.addr))
	case n.rdb == "unknown":
		problems = append(problems, fmt.Sprintf("redis at %s has appendonly off and has taken no RDB snapshot since it started (CONFIG is not allowed, so its save schedule is unknown): make sure it persists, or a restart loses every report", n.addr))
	}
	if !atLeast(n.version, MinRedis) {
		return problems, fmt.Errorf("redis at %s is version %q, the bot needs %s or later: %w", n.addr, n.version, MinRedis, ErrRedisTooOld)
	}
	return problems, nil
}

// atLeast reports whether version (such as "7.0.15") is min or later; an unreadable version is
// not.
func atLeast(version, min string) bool {
	v, ok1 := parseVersion(version)
	m, ok2 := parseVersion(min)
	if !ok1 || !ok2 {
		return false
	}
	for i := range v {
		if v[i] != m[i] {
			return v[i] > m[i]
		}
	}
	return true
}

func parseVersion(s string) ([3]int, bool) {
	var out [3]int
	parts := strings.SplitN(s, ".", 3)
	if len(parts) < 2 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

// parseInfo reads INFO's "field:value" lines; section headers and blank lines are skipped.
func parseInfo(raw string) map[string]string {
	out := map[string]string{}
	for line := range strings.Lines(raw) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = v
		}
	}
	return out
}
