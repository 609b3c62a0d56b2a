package storage

import (
	"testing"
	"time"
)

func TestClaimRelease(t *testing.T) {
	s, ctx := mustStore(t), t.Context()
	steps := []struct {
		name    string
		release bool
		want    bool
	}{
		{"first claim", false, true},
		{"repeat", false, false},
		{"after release", true, true},
		{"repeat again", false, false},
	}
	for _, st := range steps {
		if st.release {
			if err := s.Release(ctx, "tg:8841"); err != nil {
				t.Fatalf("Release: %v", err)
			}
		}
		if got, err := s.Claim(ctx, "tg:8841"); err != nil || got != st.want {
			t.Errorf("%s: Claim = %v, %v; want %v", st.name, got, err, st.want)
		}
	}
	if ttl := pttl(t, s, s.key("update", "tg:8841")); ttl <= UpdateTTL-time.Minute || ttl > UpdateTTL {
		t.Errorf("claim PTTL = %v, want about %v", ttl, UpdateTTL)
	}
}
