package transport

import (
	"context"
	"sync"
)

// ChatQueues runs jobs of one chat in order and jobs of different chats in parallel, with at
// most max chats in work at once. A chat's worker lives while the chat has jobs.
type ChatQueues struct {
	mu      sync.Mutex
	idle    *sync.Cond          // signalled when a worker ends
	pending map[string][]func() // a key present means its worker runs
	slots   chan struct{}
}

// NewChatQueues returns queues with at most max chats in work at once.
func NewChatQueues(max int) *ChatQueues {
	q := &ChatQueues{pending: map[string][]func(){}, slots: make(chan struct{}, max)}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// Submit queues job behind key's earlier jobs. It blocks while all workers are busy with other
// chats, until ctx is done.
func (q *ChatQueues) Submit(ctx context.Context, key string, job func()) error {
	if q.enqueue(key, job) {
		return nil
	}
	select {
	case q.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	q.mu.Lock()
	if jobs, busy := q.pending[key]; busy {
		// Another submitter started this chat's worker meanwhile.
		q.pending[key] = append(jobs, job)
		q.mu.Unlock()
		<-q.slots
		return nil
	}
	q.pending[key] = nil
	q.mu.Unlock()
	go q.work(key, job)
	return nil
}

// enqueue appends job when key's worker is running.
func (q *ChatQueues) enqueue(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	jobs, busy := q.pending[key]
	if busy {
		q.pending[key] = append(jobs, job)
	}
	return busy
}

// work runs key's jobs until none is left.
func (q *ChatQueues) work(key string, job func()) {
	defer func() { <-q.slots }()
	for {
		job()
		q.mu.Lock()
		jobs := q.pending[key]
		if len(jobs) == 0 {
			delete(q.pending, key)
			q.idle.Broadcast()
			q.mu.Unlock()
			return
		}
		job, q.pending[key] = jobs[0], jobs[1:]
		q.mu.Unlock()
	}
}

// Wait returns when every submitted job has finished. Unlike a WaitGroup it may race with
// Submit: webhook requests keep arriving while a transport shuts down.
func (q *ChatQueues) Wait() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.pending) > 0 {
		q.idle.Wait()
	}
}
