package bot

import (
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// Limits of the snapshot cache.
const (
	// snapshotTTL bounds how long a cached snapshot is trusted for what no version check covers:
	// units granted from another chat, a period opening, last period's figures.
	snapshotTTL = time.Minute
	// snapshotMax bounds memory: a snapshot is a few kilobytes.
	snapshotMax = 50_000
)

// snapshot is what one chat's steps read: its state, its person and their reports. After a
// commit it is kept, updated with the step's effects, so the next answer in the chat needs no
// read from Redis beyond the update's de-duplication.
type snapshot struct {
	state   flows.State
	person  flows.Person
	reports map[flows.Key]flows.ReportInfo
	loaded  time.Time
	open    string // the periods open when it was loaded: its reports cover those only
}

// openIDs names the periods open at now, to tell when a snapshot's reports no longer cover them.
func openIDs(cal flows.Calendar, now time.Time) string {
	var ids []string
	for _, p := range cal.Open(now) {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ",")
}

// after returns s as the committed step left the store: the new state and the effects applied.
func (s snapshot) after(st flows.State, effects []flows.Effect) snapshot {
	r := flows.Reading{Person: s.person, Reports: s.reports}.After(effects)
	s.state, s.person, s.reports = st, r.Person, r.Reports
	return s
}

// snapshots caches one snapshot per chat. Entries are only ever used under the chat's mutex.
type snapshots struct {
	mu sync.Mutex
	m  map[string]snapshot
}

// get returns chat's snapshot if it is fresh and covers the periods open now (open, as openIDs
// writes them).
func (c *snapshots) get(chat string, now time.Time, open string) (snapshot, bool) {
	c.mu.Lock()
	s, ok := c.m[chat]
	c.mu.Unlock()
	if !ok || now.Sub(s.loaded) > snapshotTTL || now.Before(s.loaded) || s.open != open {
		return snapshot{}, false
	}
	return s, true
}

func (c *snapshots) put(chat string, s snapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]snapshot{}
	}
	if _, ok := c.m[chat]; !ok && len(c.m) >= snapshotMax {
		for k := range c.m { // evict one at random: map order is random enough here
			delete(c.m, k)
			break
		}
	}
	c.m[chat] = s
}

func (c *snapshots) drop(chat string) {
	c.mu.Lock()
	delete(c.m, chat)
	c.mu.Unlock()
}
