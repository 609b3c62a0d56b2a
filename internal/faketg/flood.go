package faketg

import (
	"net/http"
	"strings"
	"time"
)

// flood is what the fake does with sends beyond a Bot API's patience: 429 with retry_after 1
// above a rate, 403 to chats that blocked the bot. Its fields are guarded by Server.mu.
type flood struct {
	limit    int            // sends accepted per second; 0: no limit
	recent   []time.Time    // sends accepted in the last second
	refused  int            // 429s answered
	blocked  map[int64]bool // chats that blocked the bot
	accepted map[int64]int  // successful sends per chat
	accepts  chan<- int64   // told each chat a send was accepted for, when set
}

// Limit makes the fake answer 429 with retry_after 1 to sends (send* methods) once perSecond
// were accepted in the last second, as Telegram does to a bot sending about 30 messages/s.
func (f *Server) Limit(perSecond int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flood.limit = perSecond
}

// Block makes every send to chat answer 403, as for a person who blocked the bot.
func (f *Server) Block(chat int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flood.blocked[chat] = true
}

// Accepts returns a channel told the chat of every accepted send from now on; buf must hold
// every send the test does not read at once, or the fake's handler waits for the test.
func (f *Server) Accepts(buf int) <-chan int64 {
	ch := make(chan int64, buf)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flood.accepts = ch
	return ch
}

// Accepted is how many sends to chat succeeded.
func (f *Server) Accepted(chat int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flood.accepted[chat]
}

// Refused is how many sends were answered 429 for going over the Limit.
func (f *Server) Refused() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flood.refused
}

// refuse decides, under Server.mu, whether req is refused for a blocked chat or over the rate.
func (fl *flood) refuse(req Request) (failure, bool) {
	if !strings.HasPrefix(req.Method, "send") {
		return failure{}, false
	}
	if fl.blocked[req.ChatID()] {
		return failure{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}, true
	}
	if fl.limit <= 0 {
		return failure{}, false
	}
	now := req.At
	for len(fl.recent) > 0 && now.Sub(fl.recent[0]) >= time.Second {
		fl.recent = fl.recent[1:]
	}
	if len(fl.recent) >= fl.limit {
		fl.refused++
		return failure{code: http.StatusTooManyRequests, desc: "Too Many Requests: retry after 1", retryAfter: 1}, true
	}
	fl.recent = append(fl.recent, now)
	return failure{}, false
}

// acceptLocked counts a successful send and returns the channel to tell, if any.
func (fl *flood) acceptLocked(req Request) chan<- int64 {
	if req.Failed || !strings.HasPrefix(req.Method, "send") {
		return nil
	}
	fl.accepted[req.ChatID()]++
	return fl.accepts
}
