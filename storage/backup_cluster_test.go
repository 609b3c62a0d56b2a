package storage

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/internal/redistest"
)

// On a real Cluster of three masters, Dump walks each master, Restore writes through the
// cluster client, and CheckRedis judges every master.
func TestBackupOnCluster(t *testing.T) {
	addrs := redistest.StartCluster(t, 3)
	open := func(prefix string) *Store {
		s := New(redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs}), prefix)
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	src := open("src:")
	src.UseModel(mustDir(t, tallyOrgs, tallyNodes), tallyCal, tallyInds)
	populate(t, src)
	want := readPrefix(t, src)

	var buf bytes.Buffer
	st, err := src.Dump(t.Context(), &buf, day)
	if err != nil || st.Keys != int64(len(want)) {
		t.Fatalf("Dump: got %+v, %v, want %d keys", st, err, len(want))
	}
	dst := open("dst:")
	if _, err := dst.Restore(t.Context(), &buf, RestoreOptions{}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	sameKeys(t, readPrefix(t, dst), want)

	var (
		mu    sync.Mutex
		nodes = map[string]bool{}
	)
	err = src.forEachNode(t.Context(), func(_ context.Context, c *redis.Client) error {
		mu.Lock()
		defer mu.Unlock()
		nodes[c.Options().Addr] = true
		return nil
	})
	if err != nil || len(nodes) != 3 {
		t.Fatalf("masters: got %v, %v, want 3", nodes, err)
	}
	problems, err := src.CheckRedis(t.Context())
	if err != nil || len(problems) != 3 {
		t.Fatalf("CheckRedis: got %q, %v, want a problem for each of the 3 masters", problems, err)
	}
	for i, p := range problems {
		if !strings.Contains(p, "nothing on disk") {
			t.Errorf("problem %d: got %q, want nothing on disk", i, p)
		}
	}
}
