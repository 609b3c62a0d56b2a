package zalo

import "sync"

// unreachableAfter is how many permanent refusals in a row make a chat unreachable. Zalo
// documents no error for "this person blocked the bot" (its error table lists 400, 401, 403,
// 404, 408 and 429 only), so the bot cannot tell a block from one bad message: it waits for the
// same chat to refuse this many messages while messages to others go through.
const unreachableAfter = 3

// strikesMax bounds the chats strikes remembers; past it, it starts again from nothing, which
// only delays marking someone.
const strikesMax = 10_000

// strikes counts each chat's permanent send failures in a row. A failure counts only when some
// message went through, to anyone, since the chat's last one: when nothing goes through at all
// the API is failing, not the person, and nobody must be marked unreachable for it.
type strikes struct {
	mu  sync.Mutex
	oks uint64            // successful sends so far
	n   map[string]strike // chat → its failures in a row
}

type strike struct {
	count int
	oks   uint64 // strikes.oks at the last failure
}

// ok records a message that went through to chat: its count starts again.
func (s *strikes) ok(chat string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oks++
	delete(s.n, chat)
}

// forget starts chat's count again: the person wrote, so they can be reached.
func (s *strikes) forget(chat string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.n, chat)
}

// fail records a permanent failure for chat and returns its failures in a row.
func (s *strikes) fail(chat string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == nil || len(s.n) >= strikesMax {
		s.n = map[string]strike{}
	}
	st := s.n[chat]
	if st.count > 0 && st.oks == s.oks {
		return st.count // nothing went through since the last failure: it may be the API
	}
	st.count++
	st.oks = s.oks
	s.n[chat] = st
	return st.count
}
