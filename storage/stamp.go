package storage

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// A stamp counts the writes to what a chat keeps between steps (flows.Stamps): every write of a
// unit's drafts, submissions or returns, and every write of a person's record, INCRs the stamp
// in the same script or transaction. Readers GET a stamp before, in the same pipeline as, the
// data it counts; a stamp shares its data's Cluster slot, so the two go to one node in that
// order there too. A write can then never hide behind a stamp read with the data before it: at
// worst a reader holds data newer than its stamp and reloads once more than it needed to.

// unitStampKey is the count of writes to unit's reports; it shares the unit's hash tag, so the
// unit's scripts move it in the same step as their writes.
func (s *Store) unitStampKey(unit string) string { return s.unitKey(unit, "stamp") }

// personStampKey is the count of writes to person id's record: "P{P person:<id>}:stamp". Its hash
// tag is the record's whole key, so on Cluster it sits in the record's slot and one transaction
// writes both (person ids are platform identities, "tg:…" or "zalo:…", with no braces to move a
// tag); it starts with the prefix like every key of the store, so a dump, a restore and a test's
// clean-up find it.
func (s *Store) personStampKey(id string) string {
	return s.prefix + "{" + s.key("person", id) + "}:stamp"
}

// stampCmds are the pipelined GETs of a set of stamps, in the order stampKeys lists them.
type stampCmds struct {
	units []string
	cmds  []*redis.StringCmd
}

// stampKeys lists the keys of st's counts, the person's first (when there is one), then the
// units' in id order, with the count each should hold.
func (s *Store) stampKeys(st flows.Stamps) ([]string, []int64) {
	var keys []string
	var want []int64
	if st.Person != "" {
		keys, want = append(keys, s.personStampKey(st.Person)), append(want, st.Record)
	}
	for _, u := range slices.Sorted(maps.Keys(st.Units)) {
		keys, want = append(keys, s.unitStampKey(u)), append(want, st.Units[u])
	}
	return keys, want
}

// getUnitStamps queues the GETs of units' stamps onto all, to be sent before the data they count.
func (s *Store) getUnitStamps(ctx context.Context, units []string, all []redis.Cmder) (stampCmds, []redis.Cmder) {
	c := stampCmds{units: units, cmds: make([]*redis.StringCmd, len(units))}
	for i, u := range units {
		c.cmds[i] = redis.NewStringCmd(ctx, "get", s.unitStampKey(u))
		all = append(all, c.cmds[i])
	}
	return c, all
}

// counts reads back the GETs: a stamp never written counts 0.
func (c stampCmds) counts() (map[string]int64, error) {
	out := make(map[string]int64, len(c.units))
	for i, u := range c.units {
		n, err := stampOf(c.cmds[i])
		if err != nil {
			return nil, fmt.Errorf("stamp of unit %s: %w", u, err)
		}
		out[u] = n
	}
	return out, nil
}

// stampOf reads one pipelined GET of a stamp.
func stampOf(cmd *redis.StringCmd) (int64, error) {
	n, err := cmd.Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// precheck returns flows.ErrConflict when chat's state is no longer at version prev or a count
// of seen has moved: the store has written something the step did not see. It is the check a
// step's writes get when they cannot run in one script with it; the writes that follow check
// their own versions again as they write.
func (s *Store) precheck(ctx context.Context, chat string, prev int64, seen flows.Stamps) error {
	keys, want := s.stampKeys(seen)
	stCmd := redis.NewStringCmd(ctx, "get", s.key("session", chat))
	cmds := make([]*redis.StringCmd, len(keys))
	all := []redis.Cmder{stCmd}
	for i, k := range keys {
		cmds[i] = redis.NewStringCmd(ctx, "get", k)
		all = append(all, cmds[i])
	}
	if err := s.batch.do(ctx, all...); err != nil {
		return fmt.Errorf("check session %s and %d stamps: %w", chat, len(keys), err)
	}
	var st flows.State
	if err := decodeOptional(stCmd, &st); err != nil {
		return fmt.Errorf("check session %s: %w", chat, err)
	}
	if st.Version != prev {
		return fmt.Errorf("session %s is at version %d, not %d: %w", chat, st.Version, prev, flows.ErrConflict)
	}
	for i, cmd := range cmds {
		n, err := stampOf(cmd)
		if err != nil {
			return fmt.Errorf("check stamp %s: %w", keys[i], err)
		}
		if n != want[i] {
			return fmt.Errorf("%s moved from %d to %d: %w", keys[i], want[i], n, flows.ErrConflict)
		}
	}
	return nil
}

// StampedReports is Reports with the stamps of the units qs name, read in the same round trip
// before the reports: what a chat's steps read, to be kept and checked at commit.
func (s *Store) StampedReports(ctx context.Context, qs []flows.ReportQuery) (map[flows.Key]flows.ReportInfo, map[string]int64, error) {
	var units []string
	for _, q := range qs {
		if !slices.Contains(units, q.Key.Unit) {
			units = append(units, q.Key.Unit)
		}
	}
	stamps, all := s.getUnitStamps(ctx, units, nil)
	infos, err := s.reports(ctx, qs, all)
	if err != nil {
		return nil, nil, err
	}
	counts, err := stamps.counts()
	if err != nil {
		return nil, nil, fmt.Errorf("load %d reports: %w", len(qs), err)
	}
	return infos, counts, nil
}
