package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"

	"github.com/redis/go-redis/v9"

	"danvan/config"
	"danvan/storage"
)

// openStore connects to the Redis the configuration names, in its mode, and checks it answers
// and is what the configuration says; errors name the field to fix.
func openStore(ctx context.Context, cfg config.Config) (*storage.Store, error) {
	opts, err := redisOptions(cfg)
	if err != nil {
		return nil, err
	}
	store, err := storage.Open(ctx, storage.Mode(cfg.RedisMode), opts, cfg.RedisPrefix)
	var mode *storage.ModeError
	switch {
	case errors.As(err, &mode) && mode.Got == storage.ModeSentinel && cfg.RedisSentinelMaster == "":
		return nil, fmt.Errorf("redis_sentinel_master (REDIS_SENTINEL_MASTER): %w; name the master set it watches", err)
	case errors.As(err, &mode) && cfg.RedisMode == "auto":
		return nil, fmt.Errorf("redis_addrs (REDIS_ADDRS): %w; list the Cluster's seeds, the Sentinels with redis_sentinel_master, or one server", err)
	case errors.As(err, &mode):
		return nil, fmt.Errorf("redis_mode (REDIS_MODE) is %s: %w; set REDIS_MODE=%s, or auto to ask the server", cfg.RedisMode, err, mode.Got)
	case errors.Is(err, storage.ErrClusterDB):
		return nil, fmt.Errorf("redis_url (REDIS_URL): %w; drop the database from the URL", err)
	case err != nil:
		return nil, fmt.Errorf("%w\nthe bot keeps every report in Redis and will not start without it; start redis-server or set REDIS_URL (or try: go run . demo)", err)
	}
	return store, nil
}

// redisOptions are go-redis's options for the configuration: RedisAddrs (Cluster seeds, one
// server, or the Sentinels of RedisSentinelMaster) with RedisPassword, else RedisURL's server
// with its credentials, database, TLS and options.
func redisOptions(cfg config.Config) (redis.UniversalOptions, error) {
	if len(cfg.RedisAddrs) > 0 {
		return redis.UniversalOptions{
			Addrs: cfg.RedisAddrs, MasterName: cfg.RedisSentinelMaster, Password: cfg.RedisPassword,
		}, nil
	}
	o, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		if uerr, ok := errors.AsType[*url.Error](err); ok {
			err = uerr.Err // url.Error repeats the URL, password included
		}
		return redis.UniversalOptions{}, fmt.Errorf("redis_url (REDIS_URL): %w", err)
	}
	u := redis.UniversalOptions{
		Addrs: []string{o.Addr}, Username: o.Username, Password: o.Password, DB: o.DB,
		TLSConfig: o.TLSConfig, ClientName: o.ClientName, Protocol: o.Protocol,
		MaxRetries: o.MaxRetries, MinRetryBackoff: o.MinRetryBackoff, MaxRetryBackoff: o.MaxRetryBackoff,
		DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout,
		PoolFIFO: o.PoolFIFO, PoolSize: o.PoolSize, PoolTimeout: o.PoolTimeout,
		MinIdleConns: o.MinIdleConns, MaxIdleConns: o.MaxIdleConns, MaxActiveConns: o.MaxActiveConns,
		ConnMaxIdleTime: o.ConnMaxIdleTime, ConnMaxLifetime: o.ConnMaxLifetime,
	}
	if o.Network == "unix" {
		u.Dialer = func(ctx context.Context, _, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", addr)
		}
	}
	return u, nil
}

// redisLog sends go-redis's own messages (lost connections, retries) to our log, at warning
// level, instead of its package logger writing to stderr.
type redisLog struct{ log *slog.Logger }

// Printf implements go-redis's logger.
func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
