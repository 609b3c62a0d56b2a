package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"danvan/config"
	"danvan/config/dirsheet"
	"danvan/flows"
)

// runDirectory is `danvan directory import|export`: the directory of units as the admin's
// spreadsheet (package dirsheet), kept in the directory file (directory_file) the bot reads at
// start.
func runDirectory(ctx context.Context, args []string, in io.Reader, out io.Writer, getenv func(string) string) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runImport(ctx, args[1:], out, getenv)
		case "export":
			return runExport(args[1:], out, getenv)
		}
	}
	return errors.New("usage: danvan directory import [-check] [-replace] [-o units.yaml] FILE.xlsx|FILE.csv, or danvan directory export [-o FILE.xlsx|FILE.csv]")
}

// importFlags are the flags of `danvan directory import`.
type importFlags struct {
	out            string
	check, replace bool
}

// runImport checks the sheet FILE against the directory in force and writes the directory it
// describes to the directory file, which every replica reads at its next start.
func runImport(ctx context.Context, args []string, out io.Writer, getenv func(string) string) error {
	file, args := sheetArg(args)
	var f importFlags
	cfg, err := config.LoadForDirectory("danvan directory import", args, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&f.out, "o", "", "write the directory `file` here instead of directory_file (DIRECTORY_FILE)")
		fs.BoolVar(&f.check, "check", false, "check the sheet and say what it changes; write nothing")
		fs.BoolVar(&f.replace, "replace", false, "drop the entries of the directory in force that the sheet leaves out, rather than keep them: for a first import over the built-in directory (refused when any of them has reports)")
	})
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("danvan directory import: name the sheet, FILE.xlsx or FILE.csv")
	}
	target := f.out
	if target == "" {
		target = cfg.DirectoryFile
	}
	if target == "" && !f.check {
		return errors.New("danvan directory import: set directory_file (DIRECTORY_FILE), the file the bot reads the directory from, or give -o FILE")
	}
	res, err := checkSheet(ctx, cfg, file, f.replace, out)
	if err != nil || f.check {
		return err
	}
	return writeDirectory(cfg, target, file, res.Nodes, out)
}

// sheetArg takes the sheet's name out of args: the first argument when it is not a flag, else
// the last.
func sheetArg(args []string) (string, []string) {
	switch {
	case len(args) == 0:
		return "", args
	case !strings.HasPrefix(args[0], "-"):
		return args[0], args[1:]
	case !strings.HasPrefix(args[len(args)-1], "-"):
		return args[len(args)-1], args[:len(args)-1]
	}
	return "", args
}

// checkSheet reads file against the directory in force, prints its errors (row, column) or what
// it changes with the reports the store holds, and returns the result when the sheet is valid.
func checkSheet(ctx context.Context, cfg config.Config, file string, replace bool, out io.Writer) (dirsheet.Result, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return dirsheet.Result{}, err
	}
	dir, err := cfg.Directory()
	if err != nil {
		return dirsheet.Result{}, err
	}
	today := flows.DateOf(time.Now().In(cfg.Location()))
	res := dirsheet.Check(file, data, dirsheet.Current{Orgs: cfg.Orgs, Dir: dir}, dirsheet.Options{Replace: replace, Today: today})
	if errs := res.Check.Errors; len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(out, e.In(flows.VI))
		}
		return res, fmt.Errorf("%s: %d errors; nothing written", file, len(errs))
	}
	if err := countReports(ctx, cfg, &res, today); err != nil {
		return res, err
	}
	fmt.Fprintln(out, res.Check.Text(flows.VI))
	return res, nil
}

// countReports counts the reports the store holds for the new directory's units, and refuses a
// Replace that would leave reports without their unit.
func countReports(ctx context.Context, cfg config.Config, res *dirsheet.Result, today flows.Date) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := res.Count(ctx, store, today); err != nil {
		return err
	}
	if len(res.Dropped) == 0 {
		return nil
	}
	counts, err := store.SubmissionCounts(ctx, res.Dropped)
	if err != nil {
		return err
	}
	if len(counts) > 0 {
		return fmt.Errorf("-replace would drop %d units that hold reports (such as %s): import without -replace, which keeps what the sheet leaves out", len(counts), anyKey(counts))
	}
	return nil
}

func anyKey(m map[string]int) string {
	for k := range m {
		return k
	}
	return ""
}

// writeDirectory writes nodes as the directory file target, checked first as the bot will read
// it, whole or not at all.
func writeDirectory(cfg config.Config, target, file string, nodes []flows.Node, out io.Writer) error {
	head := fmt.Sprintf("The directory of units, written by danvan directory import from %s on %s.\n"+
		"Edit the spreadsheet (danvan directory export) and import it again rather than this file.",
		filepath.Base(file), time.Now().In(cfg.Location()).Format("02/01/2006 15:04"))
	data, err := config.DirectoryYAML(nodes, head)
	if err != nil {
		return err
	}
	if _, err := cfg.WithDirectory(target, data); err != nil {
		return fmt.Errorf("the directory written would not load (nothing written): %w", err)
	}
	if err := writeFile(target, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nwrote %d entries to %s. Restart the bot, every replica, to load it: the tallies are recounted at start, and every report is kept.\n", len(nodes), target)
	return nil
}

// writeFile writes a file whole or not at all: into file.tmp, synced, renamed to file. It holds
// no secret: readable by all, as the bot may run as another user.
func writeFile(file string, write func(io.Writer) error) error {
	tmp := file + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// runExport writes the directory in force as the sheet: to -o (XLSX or CSV by its extension)
// or to standard output (CSV, or XLSX with -format xlsx into a file or pipe).
func runExport(args []string, out io.Writer, getenv func(string) string) error {
	var file, format string
	cfg, err := config.LoadForDirectory("danvan directory export", args, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "o", "", "write the sheet to `file`, .xlsx or .csv, instead of standard output")
		fs.StringVar(&format, "format", "", "xlsx or csv (default: by -o's extension; csv on standard output)")
	})
	if err != nil {
		return err
	}
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	}
	var write func(io.Writer, []flows.Org, []flows.Node) error
	switch format {
	case "xlsx":
		write = dirsheet.WriteXLSX
	case "csv", "":
		write = dirsheet.WriteCSV
	default:
		return fmt.Errorf("danvan directory export: format %q: want xlsx or csv", format)
	}
	if format == "xlsx" && file == "" && isTerminal(out) {
		return errors.New("danvan directory export: a workbook does not go to a terminal: -o danh-ba.xlsx")
	}
	dir, err := cfg.Directory()
	if err != nil {
		return err
	}
	if file == "" {
		var b bytes.Buffer
		if err := write(&b, cfg.Orgs, dir.Nodes()); err != nil {
			return err
		}
		_, err := out.Write(b.Bytes())
		return err
	}
	return writeFile(file, func(w io.Writer) error { return write(w, cfg.Orgs, dir.Nodes()) })
}
