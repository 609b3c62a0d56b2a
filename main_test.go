package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"danvan/config"
	"danvan/flows"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

// TestMain says, after the tests, how many were skipped for want of Redis.
func TestMain(m *testing.M) { redistest.Main(m) }

func TestRunRefusesToStart(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"no token", nil, "ZALO_BOT_TOKEN is not set"},
		{"no redis", map[string]string{"TELEGRAM_BOT_TOKEN": "123:secret-token", "REDIS_URL": "redis://127.0.0.1:1/0"}, "will not start without it"},
		{"bad config", map[string]string{"WEBHOOK_URL": "https://bot.example.org/tg"}, "webhook_secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), nil, strings.NewReader(""), &out, testkit.Env(tt.vars))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret-token") {
				t.Errorf("got %q, want no token in the error", err)
			}
		})
	}
}

// TestDemoRunsWithoutTokenOrRedis: the demo needs neither, and shows Zalo's rendering unless
// asked for Telegram's: numbered options to type back, or buttons listed under the message.
func TestDemoRunsWithoutTokenOrRedis(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"demo"}, []string{"Nhắn số để chọn", "1 – Hội LHPN · Phường Tân Phong", "1 – Cán bộ phụ trách đơn vị"}},
		{[]string{"demo", "-style", "telegram"}, []string{"1) Hội LHPN · Phường Tân Phong", "1) Cán bộ phụ trách đơn vị"}},
	}
	for _, tt := range tests {
		var out strings.Builder
		in := strings.NewReader("/report\n/as admin\n/invite\n/as nobody\n")
		if err := run(context.Background(), tt.args, in, &out, testkit.Env(nil)); err != nil {
			t.Fatalf("%v: got %v, want nil", tt.args, err)
		}
		for _, want := range append(tt.want,
			"DEMO", "không được lưu", // says clearly the data are not kept
			"Bạn báo cáo cho đơn vị nào?", "bây giờ bạn là Chị Mai", "Mời ai?", "/as organiser | leader | admin",
		) {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v output: got %q, want it to contain %q", tt.args, out.String(), want)
			}
		}
	}
}

func TestRedisOptions(t *testing.T) {
	tests := []struct {
		name   string
		url    string
		addrs  []string
		master string
		want   string
	}{
		{"default url", "", nil, "", "[localhost:6379] db 0 master \"\" tls false"},
		{"url with db and tls", "rediss://:pw@redis.example.vn:6380/2", nil, "", "[redis.example.vn:6380] db 2 master \"\" tls true"},
		{"one cluster seed", "", []string{"cfg.example.vn:6379"}, "", "[cfg.example.vn:6379] db 0 master \"\" tls false"},
		{"cluster seeds", "", []string{"a:7000", "b:7001"}, "", "[a:7000 b:7001] db 0 master \"\" tls false"},
		{"sentinels", "", []string{"s1:26379", "s2:26379"}, "mymaster", "[s1:26379 s2:26379] db 0 master \"mymaster\" tls false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			if tt.url != "" {
				cfg.RedisURL = tt.url
			}
			cfg.RedisAddrs, cfg.RedisSentinelMaster = tt.addrs, tt.master
			o, err := redisOptions(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%v db %d master %q tls %t", o.Addrs, o.DB, o.MasterName, o.TLSConfig != nil)
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestRunChecksRedisMode: a Redis that is not the deployment REDIS_MODE says stops the bot at
// start, with the field to fix named, before any transport starts (the Telegram API here is a
// closed port: reaching it would be another error). In a cluster run (DANVAN_REDIS_CLUSTER) the
// shared Redis is a Cluster node, and "single" is the wrong mode.
func TestRunChecksRedisMode(t *testing.T) {
	redistest.Need(t)
	mode, want := "cluster", "is a single server (no Cluster, no Sentinel), not a Cluster node"
	if redistest.Cluster() {
		mode, want = "single", "is a Cluster node, not a single server"
	}
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123:secret-token", "TELEGRAM_API_URL": "http://" + redistest.ClosedAddr(t),
		"REDIS_ADDRS": redistest.Addr(), "REDIS_MODE": mode,
	}
	err := run(t.Context(), nil, strings.NewReader(""), io.Discard, testkit.Env(vars))
	if err == nil || !strings.Contains(err.Error(), "redis_mode (REDIS_MODE) is "+mode) || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want an error naming redis_mode and saying the server %s", err, want)
	}
}

func TestDemoRemindsOnItsDate(t *testing.T) {
	var out strings.Builder
	in := strings.NewReader("/as leader\n/figures\n/as admin\n/calendar\n/ngay 16/03/2026\n/ngay hôm qua\n")
	if err := run(context.Background(), []string{"demo", "-date", "13/03/2026"}, in, &out, testkit.Env(nil)); err != nil {
		t.Fatalf("demo: got %v, want nil", err)
	}
	for _, want := range []string{
		"Today in the demo: 13/03/2026",
		"📨 console:organiser", "Nhắc báo cáo kỳ Quý I năm 2026", "Báo cáo ngay",
		"📊 Số liệu Quý I năm 2026", "Đã báo cáo",
		"📅 Lịch báo cáo năm 2026",
		"đã quá hạn (15/03/2026)", "📨 console:leader", "Tổng hợp kỳ Quý I năm 2026", // /ngay: the day after the due day
		"hôm nay trong demo: ", "Dùng: /ngay ngày/tháng/năm",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output: got %q, want it to contain %q", out.String(), want)
		}
	}
}

// TestDemoDayAtAnyHour: /ngay brings out the day's reminders and the leaders' digest whatever
// the real time of day the demo runs at: the night, before and after the digest's hour, the
// evening after the sending hours.
func TestDemoDayAtAnyHour(t *testing.T) {
	loc := config.Default().Location()
	for _, hour := range []string{"00:30", "08:30", "09:30", "19:30"} {
		t.Run(hour, func(t *testing.T) {
			real, err := time.ParseInLocation("02/01/2006 15:04", "20/01/2026 "+hour, loc)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			in := strings.NewReader("/ngay 13/03/2026\n/ngay 16/03/2026\n")
			if err := runDemo(context.Background(), nil, in, &out, func() time.Time { return real }); err != nil {
				t.Fatalf("demo: got %v, want nil", err)
			}
			_, after, _ := strings.Cut(out.String(), "(hôm nay trong demo: 10:00 13/03/2026)")
			for _, want := range []string{
				"Nhắc báo cáo kỳ Quý I năm 2026",                 // 13/03: the organiser's reminder two days before
				"📨 console:organiser", "đã quá hạn (15/03/2026)", // 16/03: late, and the digest
				"📨 console:leader", "Tổng hợp kỳ Quý I năm 2026",
				"(hôm nay trong demo: 10:00 16/03/2026)",
			} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("demo output: got %q, want it to contain %q", out.String(), want)
				}
			}
			if !strings.Contains(after, "Tổng hợp kỳ Quý I năm 2026") {
				t.Errorf("demo output after /ngay 13/03/2026: got %q, want the digest of 16/03", after)
			}
		})
	}
}

// TestReminderRulesPerKind: a period kind with a ladder of its own in the configuration gets it
// in the scheduler's rules; the others get the default ladder.
func TestReminderRulesPerKind(t *testing.T) {
	r := config.Default().Reminders
	year := append([]config.StepConfig{{ID: "-14d", Days: -14, At: "08:00"}}, r.Ladder...)
	r.Periods = map[flows.PeriodKind]config.PeriodReminders{flows.Year: {Ladder: year}}
	rules := reminderRules(r)
	tests := []struct {
		kind  flows.PeriodKind
		first string
		n     int
	}{
		{flows.Year, "-14d", len(r.Ladder) + 1},
		{flows.Q1, "-7d", len(r.Ladder)},
		{flows.Q3, "-7d", len(r.Ladder)},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			got := rules.StepsFor(tt.kind)
			if len(got) != tt.n || got[0].ID != tt.first {
				t.Errorf("StepsFor(%s): got %d steps from %q, want %d from %q", tt.kind, len(got), got[0].ID, tt.n, tt.first)
			}
		})
	}
	if rules.StepsFor(flows.Year)[0].At.Hours() != 8 {
		t.Errorf("-14d at: got %v, want 8h", rules.StepsFor(flows.Year)[0].At)
	}
}

// TestCalendarShowsMovedDueStep: with the default configuration, Q1 and the Year of 2026 fall due
// on a Sunday; /calendar shows their due-day reminders on the Saturday before.
func TestCalendarShowsMovedDueStep(t *testing.T) {
	var out strings.Builder
	in := strings.NewReader("/as admin\n/calendar\n")
	if err := run(context.Background(), []string{"demo", "-date", "10/03/2026"}, in, &out, testkit.Env(nil)); err != nil {
		t.Fatalf("demo: got %v, want nil", err)
	}
	for _, want := range []string{"13/03 08:00", "14/03 07:30", "16/03 08:00", "14/11 07:30"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("/calendar: got %q, want it to contain %q", out.String(), want)
		}
	}
}

// TestDemoLeaderReturnsReport: the demo's organiser files a report, the leader returns it with a
// reason, and the notice reaches the organiser in the same terminal; then Ctrl+D (the end of
// the input) ends the demo. It used to freeze for good after the reason.
func TestDemoLeaderReturnsReport(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	in, typing := io.Pipe()
	out := &lockedBuffer{}
	done := make(chan error, 1)
	real := func() time.Time { return time.Date(2026, 1, 20, 8, 30, 0, 0, config.Default().Location()) }
	go func() { done <- runDemo(ctx, []string{"-date", "13/03/2026"}, in, out, real) }()
	go func() {
		// Lan files Q1's membership keeping last year's figures (/report asks for her unit,
		// then opens its first form); Hùng opens the Women's Union of Tân Phong through
		// /figures and returns it.
		_, _ = io.WriteString(typing, "/report\n1\na\na\na\na\n1\n/as leader\n/figures\n1\n6\n2\n4\n2\n3\n1\nSai số liệu\n/help\n")
		_ = typing.Close()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo: got %v, want nil", err)
		}
	case <-ctx.Done():
		t.Fatalf("demo: still running after the input ended; output so far:\n%s", out.String())
	}
	_, after, ok := strings.Cut(out.String(), "Vui lòng gõ lý do")
	if !ok {
		t.Fatalf("demo output: got %q, want the leader asked for a reason", out.String())
	}
	for _, want := range []string{"📨 console:organiser", "Lý do: Sai số liệu", "✅ Đã trả lại báo cáo", "/figures [kỳ] — số liệu tổng hợp"} {
		if !strings.Contains(after, want) {
			t.Errorf("demo output after the reason: got %q, want it to contain %q", after, want)
		}
	}
}

// lockedBuffer is an output several goroutines write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
