package storage

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limits of the batcher.
const (
	batchMaxCmds = 512              // one pipeline carries at most this many commands
	batchTimeout = 10 * time.Second // a pipeline that takes longer has met a dead server
)

// batcher sends the commands of concurrent callers to Redis together: while one pipeline is on
// the wire, the next gathers every command that arrives meanwhile. With one caller each command
// goes at once, a pipeline of one; under load one round trip, and one pair of system calls on
// each side, carries many updates. This is group commit without a timer, so it adds no latency;
// on a small machine shared with Redis the system calls it saves are most of Redis's cost.
type batcher struct {
	rdb     redis.UniversalClient
	reqs    chan *batchReq
	done    chan struct{} // closed by close: take no more
	stopped chan struct{} // closed when run has returned: nothing queued will be sent
	stop    sync.Once
}

type batchReq struct {
	ctx  context.Context
	cmds []redis.Cmder
	sent chan struct{} // closed when every command has its result
}

func newBatcher(rdb redis.UniversalClient) *batcher {
	b := &batcher{rdb: rdb, reqs: make(chan *batchReq, batchMaxCmds), done: make(chan struct{}), stopped: make(chan struct{})}
	go b.run()
	return b
}

// do runs cmds in the next pipeline and returns when they have their results, or when ctx ends
// (the commands may still run). Errors are the commands' own: read them from the commands.
func (b *batcher) do(ctx context.Context, cmds ...redis.Cmder) error {
	req := &batchReq{ctx: ctx, cmds: cmds, sent: make(chan struct{})}
	// A select with both cases ready picks one at random: without this check a call after close
	// could still be queued and sent, half the time.
	select {
	case <-b.done:
		return redis.ErrClosed
	default:
	}
	select {
	case b.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.done:
		return redis.ErrClosed
	}
	select {
	case <-req.sent:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stopped:
		select {
		case <-req.sent: // sent just before the batcher stopped
			return nil
		default:
			return redis.ErrClosed
		}
	}
}

func (b *batcher) run() {
	defer close(b.stopped)
	for {
		select {
		case <-b.done:
			return
		case req := <-b.reqs:
			b.send(b.gather(req))
		}
	}
}

// gather takes first and whatever else is already waiting, up to batchMaxCmds commands.
func (b *batcher) gather(first *batchReq) []*batchReq {
	batch, n := []*batchReq{first}, len(first.cmds)
	for n < batchMaxCmds {
		select {
		case req := <-b.reqs:
			batch, n = append(batch, req), n+len(req.cmds)
		default:
			return batch
		}
	}
	return batch
}

func (b *batcher) send(batch []*batchReq) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(batch[0].ctx), batchTimeout)
	defer cancel()
	pipe := b.rdb.Pipeline()
	var live []*batchReq
	for _, req := range batch {
		if req.ctx.Err() != nil {
			continue // its caller has gone and reports a failure: the write must not happen
		}
		live = append(live, req)
		for _, cmd := range req.cmds {
			_ = pipe.Process(ctx, cmd)
		}
	}
	if len(live) > 0 {
		_, _ = pipe.Exec(ctx) // each command keeps its own error
	}
	for _, req := range live {
		close(req.sent)
	}
}

func (b *batcher) close() { b.stop.Do(func() { close(b.done) }) }
