package storage

import (
	"errors"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"danvan/internal/redistest"
)

func TestJudge(t *testing.T) {
	tests := []struct {
		name string
		n    nodeSettings
		want []string // a word of each problem, in order
		old  bool
	}{
		{"safe", nodeSettings{version: "7.0.15", policy: "noeviction", aof: true}, nil, false},
		{"rdb only", nodeSettings{version: "7.2.4", policy: "noeviction", rdb: "on"}, nil, false},
		{"evicts", nodeSettings{version: "7.0.0", policy: "allkeys-lru", aof: true}, []string{"allkeys-lru"}, false},
		{"volatile evicts too", nodeSettings{version: "7.0.0", policy: "volatile-ttl", aof: true}, []string{"volatile-ttl"}, false},
		{"nothing on disk", nodeSettings{version: "8.0.1", policy: "noeviction", rdb: "off"}, []string{"nothing on disk"}, false},
		{"unknown without CONFIG", nodeSettings{version: "7.4.0", policy: "noeviction", rdb: "unknown"}, []string{"save schedule is unknown"}, false},
		{"too old", nodeSettings{version: "6.2.14", policy: "noeviction", aof: true}, nil, true},
		{"unreadable version", nodeSettings{version: "", policy: "noeviction", aof: true}, nil, true},
		{"everything wrong", nodeSettings{version: "5.0.7", policy: "allkeys-random", rdb: "off"}, []string{"allkeys-random", "nothing on disk"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := judge(tt.n)
			if len(got) != len(tt.want) {
				t.Fatalf("problems: got %q, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d: got %q, want it to say %q", i, got[i], w)
				}
			}
			if errors.Is(err, ErrRedisTooOld) != tt.old {
				t.Errorf("error: got %v, want too old %t", err, tt.old)
			}
		})
	}
}

func TestAtLeast(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{{"7.0.0", true}, {"7.0.15", true}, {"7.2", true}, {"10.0.0", true}, {"6.2.14", false}, {"6.9.99", false}, {"7.x", false}, {"", false}}
	for _, tt := range tests {
		if got := atLeast(tt.v, MinRedis); got != tt.want {
			t.Errorf("atLeast(%q, %s): got %t, want %t", tt.v, MinRedis, got, tt.want)
		}
	}
}

// CheckRedis reads real servers of the test's own, with CONFIG and, where it is renamed away
// as managed services do, with INFO alone.
func TestCheckRedis(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"evicting, no persistence", []string{"--maxmemory-policy", "allkeys-lru"}, []string{"allkeys-lru", "nothing on disk"}},
		{"safe", []string{"--appendonly", "yes", "--appendfsync", "everysec"}, nil},
		{"rdb only", []string{"--save", "3600 1"}, nil},
		{"no CONFIG", []string{"--maxmemory-policy", "volatile-lru", "--rename-command", "CONFIG", ""}, []string{"volatile-lru", "save schedule is unknown"}},
		{"no CONFIG, AOF on", []string{"--appendonly", "yes", "--rename-command", "CONFIG", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redistest.StartServer(t, tt.args...)
			s := New(redis.NewClient(&redis.Options{Addr: srv.Addr}), "check:")
			defer s.Close()
			got, err := s.CheckRedis(t.Context())
			if err != nil {
				t.Fatalf("CheckRedis: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems: got %q, want %q", got, tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) || !strings.Contains(got[i], srv.Addr) {
					t.Errorf("problem %d: got %q, want it to name %s and say %q", i, got[i], srv.Addr, w)
				}
			}
		})
	}
}
