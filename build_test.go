package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The image's binary is built by deploy/build.sh; this builds it the same way and checks it
// needs nothing from the image it runs in (distroless static has no libc, no loader, no
// shell): no ELF interpreter, no shared library. The image itself cannot be built here (no
// Docker engine), so this is what stands for it. -short skips it (it compiles the whole module).
func TestReleaseBinaryIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole module; skipped with -short")
	}
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dockerfile), "sh deploy/build.sh /out/danvan") {
		t.Fatalf("Dockerfile: got no `sh deploy/build.sh /out/danvan`, want the image built by the script tested here")
	}
	bin := filepath.Join(t.TempDir(), "danvan")
	cmd := exec.Command("sh", "deploy/build.sh", bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("deploy/build.sh: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("open the binary as ELF: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary has an ELF interpreter: got dynamic linking, want a static binary")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("shared libraries: got %v, %v, want none", libs, err)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "danvan ") {
		t.Errorf("danvan version: got %q, %v", out, err)
	}
	if !strings.Contains(string(out), "revision ") {
		t.Logf("danvan version: no revision stamped (built outside a git checkout?): %q", out)
	}
}
