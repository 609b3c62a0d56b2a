package reminders_test

import (
	"context"
	"flag"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/reminders"
)

var sharedN = flag.Int("shared.n", 50, "reminders BenchmarkSharedRate: messages per replica")

// busiestSecond returns the most messages stamped in any one second [t, t+1s).
func busiestSecond(stamps []time.Time) int {
	slices.SortFunc(stamps, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i, j := 0, 0; i < len(stamps); i++ {
		for stamps[i].Sub(stamps[j]) >= time.Second {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// TestFanoutsShareOneRate: three replicas' fan-outs on one token, taking turns on one fake
// clock, keep the token's 25 messages/s together when they share its Rate; each with a rate of
// its own (what every process had before), they send 75 in the first second.
func TestFanoutsShareOneRate(t *testing.T) {
	tests := []struct {
		name   string
		shared bool
		want   int // the busiest second
	}{
		{"a rate per replica", false, 75},
		{"one rate shared", true, 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &fakeTime{now: at("2026-03-10 08:00")}
			shared := reminders.LocalRate(25, clk.Now)
			var fans []*reminders.Fanout
			var senders []*stampSender
			for range 3 {
				s := &stampSender{clock: clk}
				f := newFakeFanout(s, 25)
				if tt.shared {
					f = reminders.NewSharedFanout(s, shared, nil)
					f.SetClock(clk.Now, clk.Sleep)
				}
				fans, senders = append(fans, f), append(senders, s)
			}
			for i := range 150 {
				p := flows.Person{ID: strconv.Itoa(i)}
				if err := fans[i%3].Send(context.Background(), p, flows.Reply{Text: "⏰"}); err != nil {
					t.Fatal(err)
				}
			}
			var stamps []time.Time
			for _, s := range senders {
				stamps = append(stamps, s.at...)
			}
			if got := busiestSecond(stamps); got != tt.want {
				t.Errorf("busiest second: got %d messages, want %d", got, tt.want)
			}
		})
	}
}

// clockSender writes down the wall-clock moment of every message, from any goroutine.
type clockSender struct {
	mu sync.Mutex
	at []time.Time
}

func (c *clockSender) Send(context.Context, flows.Person, flows.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = append(c.at, time.Now())
	return nil
}

// countedRate counts the asks of a Rate: with three replicas, each asking through one waiter
// at a time, a message costs a few round trips to Redis.
type countedRate struct {
	reminders.Rate
	n *atomic.Int64
}

func (c countedRate) Take(ctx context.Context, p flows.Person) (time.Duration, error) {
	c.n.Add(1)
	return c.Rate.Take(ctx, p)
}

// BenchmarkSharedRate runs three replicas' fan-outs (a Redis client each, 16 workers each, as
// the scheduler runs them) on one bot token at the default 25 messages/s and measures, on the
// wall clock, the messages per second they send together and the busiest second. "shared" is
// storage.FanoutRate (GCRA in Redis, on the server's clock); "per-process" is the local rate
// each replica had before, for comparison. It runs on real time, so it is a benchmark and not
// a test; it fails when the shared pace lets more than 10% over the rate through.
//
//	go test ./reminders -run '^$' -bench SharedRate -benchtime 1x [-shared.n 250]
func BenchmarkSharedRate(b *testing.B) {
	const rate, replicas = 25.0, 3
	for _, shared := range []bool{true, false} {
		name := map[bool]string{true: "shared", false: "per-process"}[shared]
		b.Run(name, func(b *testing.B) {
			for range b.N {
				prefix := redistest.Prefix(b, "sharedrate")
				out := &clockSender{}
				var asks atomic.Int64
				var fans []*reminders.Fanout
				for range replicas {
					f := reminders.NewFanout(out, rate, nil)
					if shared {
						r := testkit.StoreAt(b, redistest.Addr(), prefix).FanoutRate("tg", "123456:bench", rate)
						f = reminders.NewSharedFanout(out, countedRate{r, &asks}, nil)
					}
					fans = append(fans, f)
				}
				start := time.Now()
				var wg sync.WaitGroup
				for r, f := range fans {
					wg.Go(func() {
						n := *sharedN
						if _, errs := fanoutFrom(b, f, r*n+1, n); len(errs) > 0 {
							b.Errorf("replica %d: %v", r, errs)
						}
					})
				}
				wg.Wait()
				total := replicas * *sharedN
				took := out.at[len(out.at)-1].Sub(start)
				got, busiest := float64(total-1)/took.Seconds(), busiestSecond(out.at)
				b.ReportMetric(got, "msg/s")
				b.ReportMetric(float64(busiest), "busiest-second")
				if shared {
					b.ReportMetric(float64(asks.Load())/float64(total), "asks/msg")
				}
				if shared && (got > 1.1*rate || float64(busiest) > 1.1*rate) {
					b.Errorf("three replicas sharing %.0f/s: got %.1f msg/s, busiest second %d", rate, got, busiest)
				}
			}
		})
	}
}
