package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"danvan/config"
	"danvan/config/dirsheet"
	"danvan/internal/nationwide"
	"danvan/internal/redistest"
	"danvan/internal/testkit"
)

// BenchmarkDirectoryImportNationwide runs `danvan directory import` on the nationwide directory
// (34 provinces, 3,321 communes, about 20,000 units) as a workbook, over the built-in directory:
// the configuration loaded, the sheet read and checked, the reports counted in Redis, the
// directory file written and checked as the bot will read it. The budget is 10 s.
func BenchmarkDirectoryImportNationwide(b *testing.B) {
	tmp := b.TempDir()
	env := directoryEnv(redistest.Prefix(b, "dirbench"), tmp)
	orgs := config.Default().Orgs
	var book bytes.Buffer
	if err := dirsheet.WriteXLSX(&book, orgs, nationwide.Nodes(orgs)); err != nil {
		b.Fatal(err)
	}
	sheet := filepath.Join(tmp, "ca-nuoc.xlsx")
	if err := os.WriteFile(sheet, book.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(book.Len()))
	for b.Loop() {
		_ = os.Remove(env["DIRECTORY_FILE"])
		if err := run(b.Context(), []string{"directory", "import", sheet}, nil, io.Discard, testkit.Env(env)); err != nil {
			b.Fatal(err)
		}
	}
}
