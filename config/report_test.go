package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The report template is the built-in file until report_template names another, which is read
// as it is; a name that cannot be read stops the start with the field named.
func TestReportTemplate(t *testing.T) {
	builtin, err := Default().ReportTemplateText()
	if err != nil || !bytes.Contains(builtin, []byte(`title: "BÁO CÁO"`)) {
		t.Fatalf("built-in template: got %.40q %v, want defaults/report.yaml", builtin, err)
	}
	dir := t.TempDir()
	own := filepath.Join(dir, "report.yaml")
	if err := os.WriteFile(own, []byte("title: \"BÁO CÁO NHANH\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("report_template: "+own+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, []string{"-config", cfg}, nil)
	got, err := c.ReportTemplateText()
	if err != nil || string(got) != "title: \"BÁO CÁO NHANH\"\n" {
		t.Errorf("own template: got %q %v, want the file's bytes", got, err)
	}

	if err := os.WriteFile(cfg, []byte("report_template: "+filepath.Join(dir, "missing.yaml")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = mustFail(t, []string{"-config", cfg}, nil)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "report_template" {
		t.Errorf("missing template: got %v, want a FieldError on report_template", err)
	}
}
