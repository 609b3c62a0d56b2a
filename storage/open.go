package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Mode is the kind of Redis deployment Open connects to.
type Mode string

// The modes Open knows. ModeAuto asks the server which it is.
const (
	ModeAuto     Mode = "auto"
	ModeSingle   Mode = "single"
	ModeCluster  Mode = "cluster"
	ModeSentinel Mode = "sentinel"
)

// ModeError says the Redis that Open reached is not the deployment it was told to expect, or
// that its addresses describe: a Cluster node reached as one server would answer every other
// key with MOVED, so Open refuses to start instead.
type ModeError struct {
	// Want is the mode asked for (ModeCluster also when several addresses but no mode were
	// given); Got is what the server at Addr says it is.
	Want, Got Mode
	Addr      string
}

// Error implements error.
func (e *ModeError) Error() string {
	return fmt.Sprintf("redis at %s is %s, not %s", e.Addr, describe(e.Got), describe(e.Want))
}

func describe(m Mode) string {
	switch m {
	case ModeCluster:
		return "a Cluster node"
	case ModeSentinel:
		return "a Sentinel"
	}
	return "a single server (no Cluster, no Sentinel)"
}

// ErrClusterDB is returned by Open for a database other than 0 on a Cluster, which has only
// database 0.
var ErrClusterDB = errors.New("a Redis Cluster has only database 0")

// Open connects to the Redis that opts name and checks, before any message is handled, that it
// answers and is the deployment mode says: a wrong address or mode fails at start-up rather
// than on the first message. opts.Addrs are the server, the Cluster's seed nodes (one is
// enough: the others are discovered) or, with opts.MasterName, the Sentinels.
//
// ModeAuto asks the first address that answers (INFO's redis_mode): a Cluster node gets a
// Cluster client, a Sentinel a Sentinel client (opts.MasterName is then required), a single
// server a plain client. Several addresses but no MasterName mean a Cluster. A server that
// disagrees with mode gives a *ModeError.
func Open(ctx context.Context, mode Mode, opts redis.UniversalOptions, prefix string) (*Store, error) {
	if len(opts.Addrs) == 0 {
		return nil, errors.New("redis: no address")
	}
	found, addr, err := detect(ctx, &opts)
	if err != nil {
		return nil, fmt.Errorf("redis at %s is unreachable: %w", strings.Join(opts.Addrs, ", "), err)
	}
	want := mode
	switch {
	case mode != ModeAuto:
	case opts.MasterName != "":
		want = ModeSentinel
	case len(opts.Addrs) > 1 || found == ModeCluster:
		want = ModeCluster
	default:
		want = ModeSingle
	}
	if found != want {
		return nil, &ModeError{Want: want, Got: found, Addr: addr}
	}
	if want == ModeCluster && opts.DB != 0 {
		return nil, fmt.Errorf("redis at %s: database %d: %w", addr, opts.DB, ErrClusterDB)
	}
	rdb := connect(want, &opts)
	if err := check(ctx, rdb); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("redis %s at %s: %w", want, strings.Join(opts.Addrs, ", "), err)
	}
	return New(rdb, prefix), nil
}

// detect asks each address in turn, until one answers, what it is. Sentinels are asked with
// the Sentinel credentials when a master is named.
func detect(ctx context.Context, opts *redis.UniversalOptions) (Mode, string, error) {
	var errs []error
	for _, addr := range opts.Addrs {
		o := opts.Simple()
		o.Addr, o.DB = addr, 0
		if opts.MasterName != "" {
			o.Username, o.Password = opts.SentinelUsername, opts.SentinelPassword
		}
		m, err := modeOf(ctx, redis.NewClient(o))
		if err == nil {
			return m, addr, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", addr, err))
	}
	return "", "", errors.Join(errs...)
}

// modeOf reads redis_mode from INFO (standalone, cluster or sentinel) and closes rdb.
func modeOf(ctx context.Context, rdb *redis.Client) (Mode, error) {
	defer rdb.Close()
	info, err := rdb.Info(ctx, "server").Result()
	if err != nil {
		return "", err
	}
	for line := range strings.Lines(info) {
		switch v, _ := strings.CutPrefix(strings.TrimSpace(line), "redis_mode:"); v {
		case "cluster":
			return ModeCluster, nil
		case "sentinel":
			return ModeSentinel, nil
		case "standalone":
			return ModeSingle, nil
		}
	}
	return "", errors.New("INFO server has no redis_mode")
}

// connect builds the client of mode.
func connect(mode Mode, opts *redis.UniversalOptions) redis.UniversalClient {
	switch mode {
	case ModeCluster:
		return redis.NewClusterClient(opts.Cluster())
	case ModeSentinel:
		return redis.NewFailoverClient(opts.Failover())
	}
	return redis.NewClient(opts.Simple())
}

// check sends PING through the client (on Sentinel it reaches the master, on Cluster a node of
// the slot map) and, on Cluster, that the cluster serves every slot.
func check(ctx context.Context, rdb redis.UniversalClient) error {
	if err := rdb.Ping(ctx).Err(); err != nil {
		return err
	}
	cc, ok := rdb.(*redis.ClusterClient)
	if !ok {
		return nil
	}
	info, err := cc.ClusterInfo(ctx).Result()
	if err != nil {
		return err
	}
	if !strings.Contains(info, "cluster_state:ok") {
		return errors.New("cluster_state is not ok: not every slot is served")
	}
	return nil
}
