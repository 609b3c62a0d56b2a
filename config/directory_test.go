package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The directory file DirectoryYAML writes reads back as the same units, one entry a line.
func TestDirectoryYAMLRoundTrip(t *testing.T) {
	def := Default()
	b, err := DirectoryYAML(def.Units, "written by a test\nsecond line")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if got, want := len(lines), 3+len(def.Units); got != want {
		t.Errorf("lines: got %d, want %d (two comments, units:, an entry a line)", got, want)
	}
	if want := `  - {id: lc-tanphong, name: {vi: Phường Tân Phong, en: Tan Phong ward}, parent: lc, valid_from: "2025-07-01", merged_from: [tanphong, dongphong, santhang]}`; !strings.Contains(string(b), want+"\n") {
		t.Errorf("got no line %q in\n%s", want, b[:min(len(b), 600)])
	}
	got, err := def.WithDirectory("units.yaml", b)
	if err != nil {
		t.Fatalf("WithDirectory: %v", err)
	}
	if !reflect.DeepEqual(got.Units, def.Units) {
		t.Errorf("units read back: got %d entries, another list; want the same %d", len(got.Units), len(def.Units))
	}
}

// DIRECTORY_FILE replaces the units, each error at its line of that file; a missing file stops
// the bot but not the first import; other sections do not belong there.
func TestLoadDirectoryFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "units:\n  - {id: t, name: {vi: Tỉnh Thử}}\n  - {id: t-phunu, org: phunu, parent: t, name: {vi: Hội LHPN}}\n")
	c := mustLoad(t, nil, map[string]string{"DIRECTORY_FILE": good})
	if len(c.Units) != 2 || c.Units[1].ID != "t-phunu" {
		t.Errorf("units: got %+v, want the file's two", c.Units)
	}
	bad := write("bad.yaml", "units:\n  - {id: t, name: {vi: Tỉnh Thử}}\n  - {id: t-phunu, org: phunu, parent: x, name: {vi: Hội LHPN}}\n")
	mustContain(t, mustFail(t, nil, map[string]string{"DIRECTORY_FILE": bad}), bad+":3: units[1].parent: \"x\" names no entry of units")

	missing := filepath.Join(dir, "missing.yaml")
	if err := mustFail(t, nil, map[string]string{"DIRECTORY_FILE": missing}); !errors.Is(err, ErrNoDirectoryFile) {
		t.Errorf("missing file: got %v, want ErrNoDirectoryFile", err)
	}
	c, err := LoadForDirectory("danvan directory import", nil, env(map[string]string{"DIRECTORY_FILE": missing}), nil)
	if err != nil || !reflect.DeepEqual(c.Units, Default().Units) {
		t.Errorf("missing file before the first import: got %d units, %v; want the built-in ones", len(c.Units), err)
	}

	other := write("other.yaml", "units: []\nforms: []\n")
	mustContain(t, mustFail(t, nil, map[string]string{"DIRECTORY_FILE": other}), other+":2: \"forms\" does not belong in a directory file")
	both := write("both.yaml", "directory_file: "+good+"\nunits:\n  - {id: t, name: {vi: Tỉnh Thử}}\n")
	mustContain(t, mustFail(t, []string{"-config", both}, nil), "directory_file: units are set at "+both+":2 too")
}
