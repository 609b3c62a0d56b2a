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
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, n := range nodes {
		seq.Content = append(seq.Content, entryNode(n))
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlStr("units"), seq}}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("directory file: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("directory file: %w", err)
	}
	return b.Bytes(), nil
}

// entryNode is n as one line of YAML: its fields as the file names them, the empty ones left
// out (the English name kept, as the defaults write it).
func entryNode(n flows.Node) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	add := func(key string, v *yaml.Node) { m.Content = append(m.Content, yamlStr(key), v) }
	add("id", yamlStr(n.ID))
	add("name", &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle,
		Content: []*yaml.Node{yamlStr("vi"), yamlStr(n.Name.Vi), yamlStr("en"), yamlStr(n.Name.En)}})
	for _, f := range []struct{ key, v string }{{"parent", n.Parent}, {"org", n.Org}, {"code", n.Code},
		{"valid_from", n.ValidFrom.String()}, {"valid_to", n.ValidTo.String()}} {
		if f.v != "" {
			add(f.key, yamlStr(f.v))
		}
	}
	if len(n.MergedFrom) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, id := range n.MergedFrom {
			seq.Content = append(seq.Content, yamlStr(id))
		}
		add("merged_from", seq)
	}
	return m
}

// yamlStr is a string scalar: quoted where YAML would read it as something else ("12", "yes").
func yamlStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
