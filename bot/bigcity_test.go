package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/bot/files"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/fixture"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
	"danvan/storage"
)

// bigCity is a generated city on the real Redis, wired as main.go wires the bot: a dispatcher
// whose store is also its Figures and its files.Maker's source, every unit with a submission of
// each form for the current period and the one before, and a city leader linked.
type bigCity struct {
	d      *bot.Dispatcher
	store  *storage.Store
	rdb    *redis.Client       // the store's client
	trips  *testkit.RoundTrips // on the store's client: what the bot sends to Redis
	units  int
	per    flows.Period
	prev   flows.Period
	leader string // the city leader's identity
	seq    int    // update ids
	cold   bool   // measure drops the leader's cached snapshot before each update
}

// bigCityOrgs is how many of the default organisations each ward has a unit of (all but the
// Trade Union, as in the default directory's wards).
const bigCityOrgs = 5

// mustBigCity generates 1 city → districts → wards per district × 5 organisations, seeds it
// through the store's real submit path and wires the dispatcher. It stops b's timer: seeding is
// setup.
func mustBigCity(b *testing.B, districts, wards int) *bigCity {
	b.Helper()
	cfg := fixture.Config(b)
	return mustSeeded(b, cfg, mustBigDirectory(b, cfg, districts, wards), "city")
}

// mustSeeded wires the dispatcher on dir, seeds every unit and links a leader of scope. It stops
// b's timer: seeding is setup.
func mustSeeded(b *testing.B, cfg config.Config, dir *flows.Directory, scope string) *bigCity {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	rdb := redis.NewClient(&redis.Options{Addr: redistest.Addr(), PoolSize: 64})
	c := &bigCity{rdb: rdb, trips: &testkit.RoundTrips{}, leader: "tg:900000"}
	rdb.AddHook(c.trips)
	c.store = storage.New(rdb, redistest.Prefix(b, "bigcity"))
	b.Cleanup(func() { _ = c.store.Close() })
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, cfg.Location())
	// As main.go's newDispatcher: a tenant per root (the nationwide directory's 34 provinces).
	tenants, err := cfg.Tenancy(dir)
	if err != nil {
		b.Fatal(err)
	}
	settings := bot.Settings{Dir: dir, Forms: cfg.Forms, Calendar: cfg.FlowsCalendar(), Indicators: cfg.Indicators(),
		InviteTTL: cfg.InviteTTL, BotName: "danvan_bench_bot", Admins: map[string]bool{}, Tenants: tenants}
	c.store.UseTenancy(dir, tenants)
	c.d = &bot.Dispatcher{
		Sessions: c.store, Reports: c.store, People: c.store, Invites: c.store, Throttle: c.store, Guard: c.store, Unreach: c.store,
		Figures: c.store, Census: c.store, Files: &files.Maker{Source: c.store, Dir: dir, Forms: settings.Forms, Calendar: settings.Calendar, Indicators: settings.Indicators,
			Tenants: tenants},
		Settings: settings, Now: func() time.Time { return now }, NewCode: bot.NewInviteCode,
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}
	var ok bool
	if c.per, ok = settings.Calendar.DefaultPeriod(now); !ok {
		b.Fatalf("no period open at %v", now)
	}
	if c.prev, ok = settings.Calendar.Previous(c.per); !ok {
		b.Fatalf("no period before %s", c.per.ID)
	}
	start := time.Now()
	c.units = c.seed(b, dir)
	testkit.MustLink(b, c.store, c.leader, flows.Person{ID: c.leader, Name: "Nguyễn Văn Lãnh Đạo", Scopes: []string{scope}})
	b.Logf("seeded %d units × %d forms × 2 periods (%s, %s) in %v", c.units, len(cfg.Forms), c.per.ID, c.prev.ID, time.Since(start).Round(time.Millisecond))
	return c
}

// mustBigDirectory makes the generated tree with the default configuration's organisations.
func mustBigDirectory(b *testing.B, cfg config.Config, districts, wards int) *flows.Directory {
	b.Helper()
	nodes := []flows.Node{{ID: "city", Name: flows.Text{Vi: "Thành phố Lai Châu", En: "Lai Chau city"}}}
	for d := range districts {
		dist := fmt.Sprintf("d%02d", d)
		nodes = append(nodes, flows.Node{ID: dist, Parent: "city", Name: flows.Text{Vi: "Quận " + strconv.Itoa(d+1)}})
		for w := range wards {
			ward := fmt.Sprintf("%s-w%02d", dist, w)
			name := fmt.Sprintf("Phường Đoàn Kết %d-%d", d+1, w+1)
			nodes = append(nodes, flows.Node{ID: ward, Parent: dist, Name: flows.Text{Vi: name}})
			for _, o := range cfg.Orgs[:bigCityOrgs] {
				nodes = append(nodes, flows.Node{ID: ward + "-" + o.ID, Parent: ward, Org: o.ID,
					Name: flows.Text{Vi: o.Short.Vi + " " + name}})
			}
		}
	}
	dir, err := flows.NewDirectory(cfg.Orgs, nodes)
	if err != nil {
		b.Fatalf("directory: %v", err)
	}
	return dir
}

// seedJob is one unit to seed: its organiser to link and its reports to submit.
type seedJob struct {
	i      int
	unit   flows.Node
	person string
}

// seed links each unit's organiser and submits the unit's forms for both periods, from many
// goroutines through the store's real Link and Apply; it returns the number of units.
func (c *bigCity) seed(b *testing.B, dir *flows.Directory) int {
	b.Helper()
	jobs := make(chan seedJob)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for j := range jobs {
				if err := c.seedUnit(b.Context(), j); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	units := dir.Units("")
	for i, u := range units {
		jobs <- seedJob{i: i, unit: u, person: "tg:" + strconv.Itoa(100000+i)}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatalf("seed: %v", err)
	default:
	}
	return len(units)
}

// seedUnit links j's organiser and submits each form of the unit in both periods.
func (c *bigCity) seedUnit(ctx context.Context, j seedJob) error {
	p := flows.Person{ID: j.person, Name: "Lò Thị Mai " + strconv.Itoa(j.i), Units: []string{j.unit.ID}}
	if err := c.store.Link(ctx, j.person, p); err != nil {
		return fmt.Errorf("link %s: %w", j.person, err)
	}
	for _, per := range []flows.Period{c.per, c.prev} {
		for _, f := range c.d.Settings.Forms {
			if err := c.submit(ctx, j, per, f); err != nil {
				return fmt.Errorf("submit %s %s %s: %w", j.unit.ID, per.ID, f.ID, err)
			}
		}
	}
	return nil
}

// submit stores the unit's submission of form in per, with values that vary by unit so rates differ between places.
func (c *bigCity) submit(ctx context.Context, j seedJob, per flows.Period, form flows.Form) error {
	vals := map[string]int64{}
	for n, q := range form.Questions {
		if q.AppliesTo(per.Kind) {
			vals[q.ID] = int64(100 + (j.i*7+n*13)%400)
		}
	}
	if _, ok := vals["eligible"]; ok {
		// This period a little better than the one before, so the figures show a trend.
		up := int64(per.Year - 2025)
		vals["eligible"], vals["members"], vals["active"] = 1000+int64(j.i%300), 800+int64(j.i%200)+40*up, 700+int64(j.i%150)+30*up
	}
	if _, ok := vals["resolved"]; ok {
		vals["models"], vals["exemplars"], vals["resolved"] = int64(j.i%2), 1+int64(j.i%3), vals["petitions"]*9/10
	}
	if _, ok := vals["branches_good"]; ok {
		vals["branches"], vals["branches_good"] = 10, 9
	}
	at := per.Due.Add(-48 * time.Hour)
	k := flows.Key{Unit: j.unit.ID, Period: per.ID, Form: form.ID}
	sub := flows.Submission{Key: k, Values: vals, By: j.person, At: at, Version: 1, Ref: flows.Reference(k, 1, at)}
	return c.store.Apply(ctx, []flows.Effect{flows.Submit{Submission: sub, Form: form}})
}

// incoming is the leader's next update carrying in.
func (c *bigCity) incoming(in flows.Input) bot.Incoming {
	c.seq++
	return bot.Incoming{UpdateID: "bench:" + strconv.Itoa(c.seq), Chat: c.leader, User: c.leader, Name: "Lãnh Đạo", Input: in}
}

// command sends the leader's command through the dispatcher.
func (c *bigCity) command(cmd, args string) []flows.Reply {
	return c.d.Handle(context.Background(), c.incoming(flows.Input{Kind: flows.CommandInput, Command: cmd, Args: args}))
}
