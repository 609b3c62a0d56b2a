package metrics

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// redisHook times every Redis round trip and counts the failures.
type redisHook struct {
	cmd, pipe                prometheus.Observer
	cmdErr, pipeErr, dialErr prometheus.Counter
}

var _ redis.Hook = redisHook{}

// RedisHook returns the go-redis hook that feeds danvan_redis_duration_seconds and
// danvan_redis_errors_total; main adds it to the store's client.
func (m *Metrics) RedisHook() redis.Hook {
	return redisHook{
		cmd: m.redisTime.WithLabelValues("command"), pipe: m.redisTime.WithLabelValues("pipeline"),
		cmdErr: m.redisErrs.WithLabelValues("command"), pipeErr: m.redisErrs.WithLabelValues("pipeline"),
		dialErr: m.redisErrs.WithLabelValues("dial"),
	}
}

// DialHook counts connections that could not be made.
func (h redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := next(ctx, network, addr)
		if err != nil {
			h.dialErr.Inc()
		}
		return c, err
	}
}

// ProcessHook times one command.
func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if handshake(cmd) {
			return next(ctx, cmd)
		}
		start := time.Now()
		err := next(ctx, cmd)
		h.cmd.Observe(time.Since(start).Seconds())
		if failed(err) {
			h.cmdErr.Inc()
		}
		return err
	}
}

// ProcessPipelineHook times one pipeline (or MULTI/EXEC): one round trip.
func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && handshake(cmds[0]) {
			return next(ctx, cmds)
		}
		start := time.Now()
		err := next(ctx, cmds)
		h.pipe.Observe(time.Since(start).Seconds())
		if failed(err) {
			h.pipeErr.Inc()
		}
		return err
	}
}

// handshake tells the commands go-redis sends on each new connection (HELLO, CLIENT SETINFO and
// the like), which pass through the hooks too: a server older than them refuses them, go-redis
// goes on without, and they are neither the bot's round trips nor its errors.
func handshake(cmd redis.Cmder) bool {
	switch cmd.Name() {
	case "hello", "client", "auth", "select":
		return true
	}
	return false
}

// failed tells a Redis failure from what the store expects: a missing key (redis.Nil), a
// transaction another writer spoiled (WATCH), a script Redis must be sent again after a restart
// (NOSCRIPT, which go-redis does by itself) and a cancelled request (shutdown, a person who left).
func failed(err error) bool {
	return err != nil && !errors.Is(err, redis.Nil) && !errors.Is(err, redis.TxFailedErr) &&
		!redis.HasErrorPrefix(err, "NOSCRIPT") && !errors.Is(err, context.Canceled)
}
