package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"

	"danvan/bot"
	"danvan/config"
	"danvan/flows"
	"danvan/internal/faketg"
	"danvan/internal/testkit"
	"danvan/storage"
)

var loadN = flag.Int("load.n", 1000, "concurrent organisers in BenchmarkLoad")

// loadUpdateIDs numbers updates across runs, as Telegram does: a number seen before is a
// redelivery, and the bot rightly drops it.
var loadUpdateIDs atomic.Int64

// loadFake is a Bot API for load: it answers the few methods the bot calls and hands every
// message the bot sends to the waiting organiser of that chat, without recording anything.
type loadFake struct {
	mu    sync.Mutex
	chats map[int64]chan loadMsg
	msgID atomic.Int64
}

// loadMsg is one message the bot sent (or edited) in a chat.
type loadMsg struct {
	id     int
	text   string
	markup string // reply_markup JSON, decoded only when the organiser needs a button
	at     time.Time
}

// button finds the data of the button whose label contains label by scanning the markup, which
// is cheaper than decoding it: the driver's cost should not weigh on the bot's figures.
func (m loadMsg) button(label string) (string, bool) {
	i := strings.Index(m.markup, label)
	if i < 0 {
		return "", false
	}
	const field = `"callback_data":"`
	j := strings.Index(m.markup[i:], field)
	if j < 0 {
		return "", false
	}
	rest := m.markup[i+j+len(field):]
	data, _, ok := strings.Cut(rest, `"`)
	return data, ok
}

func (f *loadFake) inbox(chat int64) chan loadMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, ok := f.chats[chat]
	if !ok {
		ch = make(chan loadMsg, 16)
		f.chats[chat] = ch
	}
	return ch
}

func (f *loadFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	_ = r.ParseForm()
	var result any = true
	switch method {
	case "getMe":
		result = tgbotapi.User{ID: 1, IsBot: true, FirstName: "Dân vận", UserName: "danvan_load_bot"}
	case "sendMessage", "editMessageText":
		chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
		id := int(f.msgID.Add(1))
		if m := r.Form.Get("message_id"); m != "" {
			id, _ = strconv.Atoi(m)
		}
		f.inbox(chat) <- loadMsg{id: id, text: r.Form.Get("text"), markup: r.Form.Get("reply_markup"), at: time.Now()}
		result = tgbotapi.Message{MessageID: id, Chat: &tgbotapi.Chat{ID: chat, Type: "private"}, Date: int(time.Now().Unix())}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// loadRun is one measured run: a bot (or the echo ceiling) behind the webhook, driven by n
// organisers at once, each waiting for the reply to its last action before the next.
type loadRun struct {
	updates   atomic.Int64
	latencies []time.Duration
	mu        sync.Mutex
	wall      time.Duration
	cpu       time.Duration // this process's CPU time (user + system) during the run
}

// cpuTime is the CPU time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (r *loadRun) cpuPerUpdate() float64 {
	return float64(r.cpu.Microseconds()) / float64(r.updates.Load())
}

func (r *loadRun) record(d time.Duration) {
	r.mu.Lock()
	r.latencies = append(r.latencies, d)
	r.mu.Unlock()
}

func (r *loadRun) perSecond() float64 { return float64(r.updates.Load()) / r.wall.Seconds() }

func (r *loadRun) percentile(p float64) time.Duration {
	slices.Sort(r.latencies)
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[int(float64(len(r.latencies)-1)*p)]
}

// loadBot starts the Telegram transport in webhook mode with h behind it and returns the
// webhook's URL on loopback.
func loadBot(tb testing.TB, fake *loadFake, h bot.Handler, u bot.Unreachables, obs Observer) string {
	tb.Helper()
	api := httptest.NewServer(fake)
	tb.Cleanup(api.Close)
	cfg := Config{Token: "1:LOAD", APIURL: api.URL, WebhookURL: "https://bot.example.org/hook", WebhookSecret: "load-secret", Observer: obs}
	tg, err := New(context.Background(), cfg, h, u)
	if err != nil {
		tb.Fatal(err)
	}
	hook := httptest.NewServer(tg.WebhookHandler())
	tb.Cleanup(hook.Close)
	return hook.URL
}

// loadClient posts updates as Telegram would, with a connection pool as large as the load.
func loadClient(n int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = n
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// act posts u and waits for the bot's reply in chat; it returns the reply and the time from the
// person's action to the reply arriving at the Bot API.
func act(tb testing.TB, c *http.Client, hook string, fake *loadFake, chat int64, u tgbotapi.Update) (loadMsg, time.Duration) {
	body, _ := json.Marshal(u)
	start := time.Now()
	req, _ := http.NewRequest(http.MethodPost, hook, bytes.NewReader(body))
	req.Header.Set(secretHeader, "load-secret")
	res, err := c.Do(req)
	if err != nil {
		tb.Error(err)
		return loadMsg{}, 0
	}
	_, _ = io.Copy(io.Discard, res.Body) // an answerCallbackQuery Telegram would carry out
	res.Body.Close()
	select {
	case m := <-fake.inbox(chat):
		return m, m.at.Sub(start)
	case <-time.After(30 * time.Second):
		tb.Errorf("chat %d: no reply to update %d", chat, u.UpdateID)
		return loadMsg{}, 0
	}
}

// drive runs n organisers at once, each through script, and measures the run.
func drive(tb testing.TB, n int, hook string, fake *loadFake, script func(chat int64, step func(tgbotapi.Update) loadMsg)) *loadRun {
	run := &loadRun{}
	client := loadClient(n)
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for i := range n {
		chat := int64(100000 + i)
		wg.Go(func() {
			script(chat, func(u tgbotapi.Update) loadMsg {
				u.UpdateID = int(loadUpdateIDs.Add(1))
				m, d := act(tb, client, hook, fake, chat, u)
				run.updates.Add(1)
				run.record(d)
				return m
			})
		})
	}
	wg.Wait()
	run.wall, run.cpu = time.Since(start), cpuTime()-cpu0
	return run
}

// organiser files the Membership report: /report (which opens it at its first question), four
// answers, Gửi.
func organiser(tb testing.TB, chat int64, step func(tgbotapi.Update) loadMsg) {
	m := step(faketg.Text(chat, "/report"))
	press := func(m loadMsg, label string) loadMsg {
		if data, ok := m.button(label); ok {
			return step(faketg.Callback(chat, m.id, data))
		}
		tb.Errorf("chat %d: no button %q in %q", chat, label, m.text)
		return loadMsg{}
	}
	for _, a := range []string{"1.250", "1100", "20", "khoảng 1.000"} {
		m = step(faketg.Text(chat, a))
	}
	if m = press(m, "Gửi"); !strings.Contains(m.text, "Số tham chiếu") {
		tb.Errorf("chat %d: got %q after Gửi, want the reference number", chat, m.text)
	}
}

// echo is the ceiling: a handler that does nothing but answer.
type echo struct{}

func (echo) Handle(_ context.Context, in bot.Incoming) []flows.Reply {
	return []flows.Reply{{Text: "echo: " + in.Input.Text}}
}

func newLoadFake() *loadFake { return &loadFake{chats: map[int64]chan loadMsg{}} }

// loadDispatcher is a dispatcher over a generated directory of n units, one organiser each,
// already linked: the load is the reporting, not the invitations.
func loadDispatcher(tb testing.TB, store *storage.Store, n int) *bot.Dispatcher {
	tb.Helper()
	cfg := config.Default()
	nodes := []flows.Node{{ID: "city", Name: flows.Text{Vi: "Thành phố"}}}
	for i := range n {
		nodes = append(nodes, flows.Node{ID: fmt.Sprintf("u%05d", i), Name: flows.Text{Vi: fmt.Sprintf("Đơn vị %d", i)}, Parent: "city", Org: "phunu"})
	}
	dir, err := flows.NewDirectory(cfg.Orgs, nodes)
	if err != nil {
		tb.Fatal(err)
	}
	d := testkit.MustDispatcher(tb, store, testkit.NewClock(tb))
	d.Settings.Dir = dir
	ctx := context.Background()
	for i := range n {
		ident := "tg:" + strconv.Itoa(100000+i)
		p := flows.Person{ID: ident, Name: "Cán bộ " + strconv.Itoa(i), Units: []string{fmt.Sprintf("u%05d", i)}}
		if err := store.Link(ctx, ident, p); err != nil {
			tb.Fatal(err)
		}
	}
	return d
}

// heapPeak samples the Go heap until stopped and returns the largest value seen.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// peakRSS is the process's peak resident memory (VmHWM) in bytes, 0 where /proc has none.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// draftBytes fills one more organiser's form up to the summary and returns the size of the
// draft stored for it.
func draftBytes(tb testing.TB, d *bot.Dispatcher, store *storage.Store) int {
	seq := 1 << 20
	c := testkit.NewChat(tb, d, "tg:100000", "Cán bộ 0", &seq)
	c.Command("report", "")
	for _, a := range []string{"1.250", "1100", "20", "khoảng 1.000"} {
		c.Text(a)
	}
	k := flows.Key{Unit: "u00000", Period: "2026-Q1", Form: "membership"}
	got, err := store.Reports(context.Background(), []flows.ReportQuery{{Key: k, Person: "tg:100000"}})
	if err != nil || got[k].Draft == nil {
		tb.Fatalf("draft: %v", err)
	}
	b, _ := json.Marshal(got[k].Draft)
	return len(b)
}

var (
	loadRounds = flag.Int("load.rounds", 3, "saturation rounds of BenchmarkLoad, echo and bot in turn")
	loadThink  = flag.Duration("load.think", time.Second, "mean pause between an organiser's actions in the paced run")
)

// redisCPU is the CPU time the Redis server has used so far (INFO cpu), 0 if it will not say.
func redisCPU(rdb *redis.Client) time.Duration {
	info, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		return 0
	}
	var total float64
	for _, line := range strings.Split(info, "\r\n") {
		for _, key := range []string{"used_cpu_sys:", "used_cpu_user:"} {
			if v, ok := strings.CutPrefix(line, key); ok {
				f, _ := strconv.ParseFloat(v, 64)
				total += f
			}
		}
	}
	return time.Duration(total * float64(time.Second))
}

// median is the middle of xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// BenchmarkLoad drives N organisers (-load.n, default 1000) at once through the Membership form,
// over loopback HTTP: webhook in, Bot API out, the real tgbotapi client, the dispatcher, the
// flows and the real Redis. The same transport with an echo handler is the ceiling.
//
// Saturation: each organiser acts again the moment it has its reply; echo and bot runs take turns
// (-load.rounds), so machine noise hits both, and the medians are compared. Latency under that
// load is queueing (N ÷ throughput), so it is also measured paced: organisers pause a random
// 0–2× -load.think between actions, as people do, and the bot keeps up.
//
// With -load.metrics=on the bot runs with the Prometheus observers wired as main wires them
// (dispatcher, transport, Redis hook); with both, a bot without and one with take turns in each
// round (their order swapped every round) and the metrics-… figures are the second's.
//
// Run: go test ./bot/telegram -run '^$' -bench BenchmarkLoad -benchtime 1x
func BenchmarkLoad(b *testing.B) {
	n := *loadN
	setups := loadSetups(b, n)
	primary := setups[0]
	d, store, rdb, trips := primary.d, primary.store, primary.rdb, primary.trips
	script := func(chat int64, step func(tgbotapi.Update) loadMsg) { organiser(b, chat, step) }
	b.ResetTimer()
	for range b.N {
		var echoRate, botRate []float64
		var redisTime time.Duration
		var echoCPU []float64
		var bot []*loadRun
		trips.N.Store(0)
		trips.Cmds.Store(0)
		stop := heapPeak()
		for round := range *loadRounds {
			echoFake := newLoadFake()
			echoRun := drive(b, n, loadBot(b, echoFake, echo{}, nil, nil), echoFake, echoScript)
			echoRate, echoCPU = append(echoRate, echoRun.perSecond()), append(echoCPU, echoRun.cpuPerUpdate())
			for i := range setups {
				s := setups[(i+round)%len(setups)]
				botFake := newLoadFake()
				hook := loadBot(b, botFake, s.d, s.store, s.obs)
				r0 := redisCPU(rdb)
				botRun := drive(b, n, hook, botFake, script)
				s.runs = append(s.runs, botRun)
				if s == primary {
					redisTime += redisCPU(rdb) - r0
					botRate, bot = append(botRate, botRun.perSecond()), append(bot, botRun)
				}
			}
		}
		heap := stop()
		reportMetricsCost(b, setups)
		all := &loadRun{}
		for _, r := range bot {
			all.latencies = append(all.latencies, r.latencies...)
			all.updates.Add(r.updates.Load())
			all.cpu += r.cpu
		}
		pacedFake := newLoadFake()
		paced := drive(b, n, loadBot(b, pacedFake, d, store, primary.obs), pacedFake, func(chat int64, step func(tgbotapi.Update) loadMsg) {
			script(chat, func(u tgbotapi.Update) loadMsg {
				time.Sleep(time.Duration(rand.Int64N(int64(2 * *loadThink)))) // a person reading and typing
				return step(u)
			})
		})
		b.ReportMetric(median(botRate), "updates/s")
		b.ReportMetric(median(echoRate), "echo-updates/s")
		b.ReportMetric(100*median(botRate)/median(echoRate), "%-of-echo")
		b.ReportMetric(float64(all.percentile(0.5).Microseconds())/1000, "sat-p50-ms")
		b.ReportMetric(float64(all.percentile(0.99).Microseconds())/1000, "sat-p99-ms")
		b.ReportMetric(float64(paced.percentile(0.5).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(paced.percentile(0.99).Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(trips.N.Load())/float64(all.updates.Load()), "redis-trips/update")
		b.ReportMetric(float64(trips.Cmds.Load())/float64(all.updates.Load()), "redis-cmds/update")
		b.ReportMetric(all.cpuPerUpdate(), "cpu-µs/update")
		b.ReportMetric(median(echoCPU), "echo-cpu-µs/update")
		b.ReportMetric(float64(redisTime.Microseconds())/float64(all.updates.Load()), "redis-server-cpu-µs/update")
		b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MB")
	}
	b.StopTimer()
	b.ReportMetric(float64(draftBytes(b, d, store)), "draft-bytes")
}

// echoScript sends as many messages as an organiser's report takes.
func echoScript(chat int64, step func(tgbotapi.Update) loadMsg) {
	for range 7 {
		step(faketg.Text(chat, "1250"))
	}
}
