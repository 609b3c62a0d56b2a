package bot

import (
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// Limits of the snapshot cache. Neither is about freshness, which the stamps see to: they bound
// memory.
const (
	// snapshotIdle is how long a chat's snapshot is kept after its last step: a person who
	// answers a form keeps theirs, one who went away gives it up.
	snapshotIdle = time.Minute
	// snapshotMax bounds the entries, however many chats are busy at once: a snapshot is a few
	// kilobytes.
	snapshotMax = 50_000
)

// snapshot is what one chat's steps read: its state, its person and their reports, with the
// store's stamps of them (flows.Stamps). After a commit it is kept, updated with the step's
// effects and the stamps the store returned, so the next answer in the chat needs no read from
// Redis: that answer's commit checks the stamps in the same round trip, and a step on a snapshot
// the store has moved past (a leader's return, a correction from another chat or replica) writes
// nothing and runs again on fresh data.
type snapshot struct {
	state   flows.State
	person  flows.Person
	reports map[flows.Key]flows.ReportInfo
	stamps  *flows.Stamps
	used    time.Time // when a step last read or kept it
	open    string    // the periods open when it was loaded: its reports cover those only
}

// openIDs names the periods open at now, to tell when a snapshot's reports no longer cover them.
func openIDs(cal flows.Calendar, now time.Time) string {
	var ids []string
	for _, p := range cal.Open(now) {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ",")
}

// after returns s as the committed step left the store: the new state, the effects applied and
// the stamps the commit returned.
func (s snapshot) after(st flows.State, effects []flows.Effect, stamps *flows.Stamps, now time.Time) snapshot {
	r := flows.Reading{Person: s.person, Reports: s.reports}.After(effects)
	s.state, s.person, s.reports, s.stamps, s.used = st, r.Person, r.Reports, stamps, now
	return s
}

// snapshots caches one snapshot per chat. Entries are only ever used under the chat's mutex.
// Memory is bounded without a goroutine: a put now and then sweeps out the idle entries, and
// the count never passes snapshotMax.
type snapshots struct {
	mu    sync.Mutex
	m     map[string]snapshot
	swept time.Time // when put last swept out the idle entries
}

// get returns chat's snapshot if it was used within snapshotIdle of now and covers the periods
// open now (open, as openIDs writes them).
func (c *snapshots) get(chat string, now time.Time, open string) (snapshot, bool) {
	c.mu.Lock()
	s, ok := c.m[chat]
	c.mu.Unlock()
	if !ok || idle(s, now) || s.open != open {
		return snapshot{}, false
	}
	return s, true
}

// idle reports whether s has gone unused too long at now (or comes from a clock set back).
func idle(s snapshot, now time.Time) bool {
	return now.Sub(s.used) > snapshotIdle || now.Before(s.used)
}

func (c *snapshots) put(chat string, s snapshot, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]snapshot{}
	}
	if now.Sub(c.swept) > snapshotIdle || now.Before(c.swept) {
		c.sweep(now)
	}
	if _, ok := c.m[chat]; !ok && len(c.m) >= snapshotMax {
		for k := range c.m { // evict one at random: map order is random enough here
			delete(c.m, k)
			break
		}
	}
	c.m[chat] = s
}

// sweep drops every idle entry. Run at most once per snapshotIdle, its cost per put stays small:
// one pass over at most snapshotMax entries a minute.
func (c *snapshots) sweep(now time.Time) {
	for k, s := range c.m {
		if idle(s, now) {
			delete(c.m, k)
		}
	}
	c.swept = now
}

// person returns the person of chat's snapshot, the zero Person when there is none.
func (c *snapshots) person(chat string) flows.Person {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[chat].person
}

func (c *snapshots) drop(chat string) {
	c.mu.Lock()
	delete(c.m, chat)
	c.mu.Unlock()
}
