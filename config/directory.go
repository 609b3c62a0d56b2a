package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"danvan/flows"
)

// The directory file (directory_file) holds the units: section alone, as `danvan directory
// import` writes it from an admin's spreadsheet. It is read after the configuration file, the
// environment and the flags, replaces the units of all of them, and is checked as they are,
// each error at its line. The bot reads it at start: replicas load a new one when restarted,
// and the tallies are recounted then (main's Recount) over the directory they all read.

// ErrNoDirectoryFile is what Load wraps when directory_file names a file that does not exist.
var ErrNoDirectoryFile = errors.New("the directory file does not exist")

// loadDirectory reads the file DirectoryFile names over c. A missing file is an error wrapping
// ErrNoDirectoryFile, unless optional, when c keeps the units it has.
func (c *Config) loadDirectory(optional bool) error {
	path := c.DirectoryFile
	if src := c.source("units"); src != "" && !strings.HasPrefix(src, "defaults/") {
		return &FieldError{Field: "directory_file", Source: c.source("directory_file"),
			Err: fmt.Errorf("units are set at %s too: keep one, the units: section or directory_file", src)}
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && optional:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory_file %s: %w: write it with danvan directory import FILE.xlsx, or unset directory_file", path, ErrNoDirectoryFile)
	case err != nil:
		return fmt.Errorf("directory_file: %w", err)
	}
	return c.decodeDirectory(path, data)
}

// decodeDirectory reads a directory file named name over c: its units replace c's.
func (c *Config) decodeDirectory(name string, data []byte) error {
	root, err := parseDocument(name, data)
	if err != nil {
		return err
	}
	if root == nil {
		return fmt.Errorf("%s: holds no units: section", name)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value != "units" {
			return fmt.Errorf("%s:%d: %q does not belong in a directory file, which holds units: alone; put it in the configuration file", name, k.Line, k.Value)
		}
	}
	return c.decode(name, data)
}

// WithDirectory returns c with its units replaced by those of the directory file data (named
// name, for errors), checked as Load checks a configuration: what `danvan directory import`
// runs on the file it is about to write, so the bot will start on it.
func (c Config) WithDirectory(name string, data []byte) (Config, error) {
	c.sources = cloneSources(c.sources)
	if err := c.decodeDirectory(name, data); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func cloneSources(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// DirectoryYAML writes nodes as a directory file: a units: section, one entry a line, as the
// built-in defaults/units.yaml writes them. head, when not empty, goes first as comment lines.
func DirectoryYAML(nodes []flows.Node, head string) ([]byte, error) {
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(head), "\n") {
		if line != "" {
			b.WriteString("# " + line + "\n")
		}
	}
	b.WriteString("units:\n")
	for _, n := range nodes {
		var doc yaml.Node
		if err := doc.Encode(n); err != nil {
			return nil, fmt.Errorf("directory file: entry %s: %w", n.ID, err)
		}
		flow(&doc)
		line, err := yaml.Marshal(&doc)
		if err != nil {
			return nil, fmt.Errorf("directory file: entry %s: %w", n.ID, err)
		}
		b.WriteString("  - " + strings.TrimSpace(string(line)) + "\n")
	}
	return b.Bytes(), nil
}

// flow writes n and everything in it on one line.
func flow(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		flow(c)
	}
}
