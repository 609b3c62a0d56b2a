package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/nationwide"
	"danvan/internal/scaletest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// BenchmarkMissingNation presses through the /missing list of an admin of a nation
// (internal/nationwide: 20,130 units, ten organisers each, half the units having sent each form)
// on a Redis of its own,
// wired as main wires the bot: a page a press, each press a fresh update. It reports the
// latency's p50 and p99 and the Redis round trips and commands of one press.
//
//	go test -run '^$' -bench MissingNation -benchtime 200x ./bot
func BenchmarkMissingNation(b *testing.B) {
	ctx := context.Background()
	cfg := config.Default()
	rdb := redis.NewClient(&redis.Options{Addr: scaletest.StartRedis(b), PoolSize: 128})
	store := storage.New(rdb, "nation:")
	b.Cleanup(func() { _ = store.Close() })
	dir, err := nationwide.Directory(cfg.Orgs)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 16, 10, 0, 0, 0, cfg.Location())
	per, err := scaletest.OpenPeriod(cfg.FlowsCalendar(), now)
	if err != nil {
		b.Fatal(err)
	}
	store.UseModel(dir, cfg.FlowsCalendar(), cfg.Indicators())
	w, err := scaletest.Seed(ctx, store, dir, scaletest.Options{Organisers: scaletest.Organisers, Leaders: -1,
		Period: per, Forms: cfg.Forms, Submitted: 0.5})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d units, %d organisers, %d submissions in %v", len(w.Units), w.People, w.Submitted, w.Seeded.Round(time.Second))
	admin := "tg:42"
	testkit.MustLink(b, store, admin, flows.Person{ID: admin, Name: "Quản trị"})
	d := &bot.Dispatcher{
		Sessions: store, Reports: store, People: store, Invites: store, Throttle: store, Guard: store, Unreach: store,
		Figures: store, Census: store, Contacts: store,
		Settings: bot.Settings{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Indicators(),
			InviteTTL: cfg.InviteTTL, BotName: "danvan_bench_bot", Admins: map[string]bool{admin: true}},
		Now: func() time.Time { return now }, NewCode: bot.NewInviteCode, Log: slog.New(slog.DiscardHandler),
	}
	trips := &testkit.RoundTrips{}
	rdb.AddHook(trips)
	var took []time.Duration
	t0, c0 := trips.N.Load(), trips.Cmds.Load()
	page := 0
	for b.Loop() {
		page++
		in := flows.Input{Kind: flows.ButtonInput, Data: fmt.Sprintf("*|miss|%s %d - -", per.ID, page%1000)}
		start := time.Now()
		r := d.Handle(ctx, bot.Incoming{UpdateID: "m" + strconv.Itoa(page), Chat: admin, User: admin, Input: in})
		took = append(took, time.Since(start))
		if len(r) != 1 || !strings.Contains(r[0].Text, fmt.Sprintf("Trang %d/", page%1000+1)) {
			b.Fatalf("page %d: got %+v", page%1000, r)
		}
	}
	slices.Sort(took)
	n := float64(len(took))
	b.ReportMetric(float64(trips.N.Load()-t0)/n, "roundtrips/op")
	b.ReportMetric(float64(trips.Cmds.Load()-c0)/n, "rediscmds/op")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[(len(took)-1)*99/100].Microseconds())/1000, "p99-ms")
}
