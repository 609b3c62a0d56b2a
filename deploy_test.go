package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// compose.yaml cannot be run here (no Docker engine): its promises are read instead. Redis 7
// keeps an AOF synced every second and never evicts, on a named volume, behind a health check
// the bot waits for.
func TestComposeKeepsReportsSafe(t *testing.T) {
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Image       string
			Command     []string
			Volumes     []string
			Healthcheck struct{ Test []string }
			DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
			EnvFile     string                                `yaml:"env_file"`
			ReadOnly    bool                                  `yaml:"read_only"`
			CapDrop     []string                              `yaml:"cap_drop"`
		}
		Volumes map[string]any
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	r, bot := c.Services["redis"], c.Services["bot"]
	cmd := strings.Join(r.Command, " ")
	for _, want := range []string{"--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction", "--save "} {
		if !strings.Contains(cmd, want) {
			t.Errorf("redis command: got %q, want %s", cmd, want)
		}
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"redis image is Redis 7", strings.HasPrefix(r.Image, "redis:7")},
		{"redis data on a named volume", slices.Contains(r.Volumes, "redis-data:/data") && hasKey(c.Volumes, "redis-data")},
		{"redis health check", len(r.Healthcheck.Test) > 0},
		{"bot waits for a healthy redis", bot.DependsOn["redis"].Condition == "service_healthy"},
		{"bot reads the env file", bot.EnvFile == "deploy/danvan.env"},
		{"bot's file system read-only, no capabilities", bot.ReadOnly && slices.Equal(bot.CapDrop, []string{"ALL"})},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("compose.yaml: %s: got no, want yes", ch.name)
		}
	}
}

// The image runs the static binary as a user other than root, on an image with no shell.
func TestDockerfileRunsAsNonRoot(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages := strings.Split(string(b), "\nFROM ")
	last := stages[len(stages)-1]
	for _, want := range []string{"gcr.io/distroless/static", "USER nonroot", `ENTRYPOINT ["/usr/local/bin/danvan"]`} {
		if !strings.Contains(last, want) {
			t.Errorf("Dockerfile's last stage: got no %s", want)
		}
	}
}

// The systemd unit reads the env file, restarts on failure and keeps its hardening.
func TestServiceUnitHardened(t *testing.T) {
	b, err := os.ReadFile("deploy/danvan.service")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for _, want := range []string{
		"EnvironmentFile=/etc/danvan/danvan.env", "Restart=on-failure", "DynamicUser=yes",
		"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
		"CapabilityBoundingSet=", "PrivateDevices=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
		"SystemCallFilter=@system-service", "MemoryDenyWriteExecute=yes",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("deploy/danvan.service: got no line %q", want)
		}
	}
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}
