package filetest

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// ZipFile is one file of a zip archive, read whole.
type ZipFile struct {
	Name string
	Data []byte
}

// MustUnzip reads every file of the zip archive data, in the archive's order: the CSV export's
// files, the parts of a .docx.
func MustUnzip(tb testing.TB, data []byte) []ZipFile {
	tb.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatalf("unzip %d bytes: got %v, want a zip", len(data), err)
	}
	out := make([]ZipFile, 0, len(z.File))
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatalf("unzip %s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("unzip %s: %v", f.Name, err)
		}
		out = append(out, ZipFile{Name: f.Name, Data: b})
	}
	return out
}
