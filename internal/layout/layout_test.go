package layout

import (
	"encoding/json"
	"io"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "danvan"

// pkg is what `go list -json` says of one package: its own imports and everything it links.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// rule forbids package From (a path, or a prefix ending in "/...") to link the packages Deny
// matches; Allow lists exceptions, Reason is what a broken rule says.
type rule struct {
	From   string
	Deny   func(dep string) bool
	Reason string
}

// ours reports whether dep is a package of this module.
func ours(dep string) bool { return dep == module || strings.HasPrefix(dep, module+"/") }

// transports are the packages that talk to one messaging platform each.
var transports = []string{"danvan/bot/telegram", "danvan/bot/zalo", "danvan/bot/console"}

func isTransport(dep string) bool { return slices.Contains(transports, dep) }

// metricsPackage alone implements the observer ports with Prometheus.
const metricsPackage = "danvan/internal/metrics"

func prometheusClient(dep string) bool { return strings.HasPrefix(dep, "github.com/prometheus/") }

func redisClient(dep string) bool {
	return strings.HasPrefix(dep, "github.com/redis/go-redis") || strings.HasPrefix(dep, "github.com/alicebob/miniredis")
}

// rules are the import rules for the packages in pkgs: the fixed ones below, and those that
// hold for every package of ours but a few.
func rules(pkgs map[string]pkg) []rule {
	rs := []rule{
		{"danvan/flows", ours, "flows is the pure engine: it imports none of our packages"},
		{"danvan/flows", redisClient, "flows is the pure engine: no Redis client"},
		{"danvan/storage", func(d string) bool { return ours(d) && d != "danvan/flows" }, "storage imports only flows of ours"},
		{"danvan/config", func(d string) bool { return ours(d) && d != "danvan/flows" }, "config imports only flows of ours"},
		{"danvan/reminders", isTransport, "reminders imports no transport: it sends through its Sender port"},
		{"danvan/reminders", func(d string) bool { return d == "danvan/storage" }, "reminders reads the store through its own ports"},
		{"danvan/bot", func(d string) bool { return ours(d) && d != "danvan/flows" }, "the dispatcher imports only flows of ours: transports, files and storage plug into its ports"},
		{"danvan/bot", redisClient, "the dispatcher knows no Redis client"},
		{"danvan/bot/files", func(d string) bool { return ours(d) && d != "danvan/flows" }, "the files package renders what flows decided: it imports only flows of ours"},
		{"danvan/bot/files", redisClient, "the files package knows no Redis client"},
		{"danvan/bot/transport", func(d string) bool { return isTransport(d) }, "the transport kit is shared by the transports and imports none of them"},
		{"danvan/internal/filetest", ours, "filetest imports none of ours: the files package's own tests use it"},
		{"danvan/config/dirsheet", func(d string) bool { return ours(d) && d != "danvan/flows" }, "dirsheet reads and writes the directory's spreadsheet: it imports only flows of ours, and counts reports through its Counter port"},
		{"danvan/config/dirsheet", redisClient, "dirsheet knows no Redis client"},
		{metricsPackage, ours, "internal/metrics implements the observer ports without importing their packages (the transports' tests import it)"},
	}
	for _, path := range slices.Sorted(maps.Keys(pkgs)) {
		if ours(path) && path != module && path != metricsPackage {
			rs = append(rs, rule{path, prometheusClient,
				"only main and internal/metrics know Prometheus: the others declare observer ports, and main wires the metrics to them"})
		}
	}
	for _, t := range transports {
		rs = append(rs, rule{t, func(d string) bool { return isTransport(d) && d != t },
			"a transport never imports another transport: shared helpers go to bot/transport"})
		rs = append(rs, rule{t, func(d string) bool { return d == "danvan/storage" || d == "danvan/config" },
			"a transport reaches storage through ports main wires, and never reads config"})
	}
	return rs
}

// list runs `go list -json` on the module's packages (tests excluded: test-only imports such as
// fakes and the test kit are free).
func list(tb testing.TB) map[string]pkg {
	tb.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatalf("go list: %v", err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			tb.Fatalf("go list: decode: %v", err)
		}
		pkgs[p.ImportPath] = p
	}
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("go list: %v", err)
	}
	return pkgs
}

// via names the direct import of p through which it links dep.
func via(pkgs map[string]pkg, p pkg, dep string) string {
	if slices.Contains(p.Imports, dep) {
		return "imports " + dep
	}
	for _, imp := range p.Imports {
		if q, ok := pkgs[imp]; ok && slices.Contains(q.Deps, dep) {
			return "imports " + imp + ", which links " + dep
		}
	}
	return "links " + dep
}

// check returns one message per broken rule: the package, the offending import, the rule.
func check(pkgs map[string]pkg, rs []rule) []string {
	var out []string
	for _, r := range rs {
		p, ok := pkgs[r.From]
		if !ok {
			continue
		}
		for _, dep := range p.Deps {
			if r.Deny(dep) {
				out = append(out, r.From+" "+via(pkgs, p, dep)+": "+r.Reason)
			}
		}
	}
	return out
}

func TestImportRules(t *testing.T) {
	pkgs := list(t)
	for _, want := range []string{"danvan/flows", "danvan/storage", "danvan/bot", "danvan/reminders"} {
		if _, ok := pkgs[want]; !ok {
			t.Fatalf("go list: got no %s, want every top-level package listed", want)
		}
	}
	for _, msg := range check(pkgs, rules(pkgs)) {
		t.Error(msg)
	}
}

// TestImportRulesCatch makes sure the rules bite: a made-up storage that imports the dispatcher,
// a transport that imports another and a reminders that imports Prometheus are reported, naming
// the import; main and the metrics package, which may link Prometheus, are not.
func TestImportRulesCatch(t *testing.T) {
	const promClient = "github.com/prometheus/client_golang/prometheus"
	pkgs := map[string]pkg{
		"danvan/storage":      {ImportPath: "danvan/storage", Imports: []string{"danvan/bot"}, Deps: []string{"danvan/bot", "danvan/flows"}},
		"danvan/bot":          {ImportPath: "danvan/bot", Imports: []string{"danvan/flows"}, Deps: []string{"danvan/flows"}},
		"danvan/bot/zalo":     {ImportPath: "danvan/bot/zalo", Imports: []string{"danvan/bot/telegram"}, Deps: []string{"danvan/bot/telegram"}},
		"danvan/bot/telegram": {ImportPath: "danvan/bot/telegram"},
		"danvan/bot/files":    {ImportPath: "danvan/bot/files", Imports: []string{"danvan/x"}, Deps: []string{"danvan/x", "github.com/redis/go-redis/v9"}},
		"danvan/x":            {ImportPath: "danvan/x", Deps: []string{"github.com/redis/go-redis/v9"}},
		"danvan/reminders":    {ImportPath: "danvan/reminders", Imports: []string{promClient}, Deps: []string{promClient}},
		"danvan":              {ImportPath: "danvan", Imports: []string{metricsPackage}, Deps: []string{metricsPackage, promClient}},
		metricsPackage:        {ImportPath: metricsPackage, Imports: []string{promClient}, Deps: []string{promClient}},
	}
	got := strings.Join(check(pkgs, rules(pkgs)), "\n")
	for _, want := range []string{
		"danvan/storage imports danvan/bot: storage imports only flows of ours",
		"danvan/bot/zalo imports danvan/bot/telegram: a transport never imports another transport",
		"danvan/bot/files imports danvan/x, which links github.com/redis/go-redis/v9: the files package knows no Redis client",
		"danvan/reminders imports " + promClient + ": only main and internal/metrics know Prometheus",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
	for _, allowed := range []string{"danvan imports", metricsPackage + " imports"} {
		if strings.Contains(got, allowed) {
			t.Errorf("got %q, want nothing said of %q: main and the metrics package may link Prometheus", got, allowed)
		}
	}
}
