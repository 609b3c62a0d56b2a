package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decode reads one YAML file named name over c: each top-level key present replaces that field
// whole, keys absent leave it as it was. Unknown keys are errors, so a typo such as "lsiten_addr"
// is caught at start instead of silently keeping the default.
func (c *Config) decode(name string, data []byte) error {
	root, err := parseDocument(name, data)
	if err != nil || root == nil {
		return err
	}
	if err := checkDates(name, root); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return yamlError(name, err)
	}
	if c.sources == nil {
		c.sources = map[string]string{}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		c.forget(key.Value)
		c.record(name, key.Value, key.Line, val)
		c.replaces(key.Value)
	}
	return nil
}

// replaces drops what a section read from a file stands in for: a legacy "targets" section is
// the targets of every year, so the built-in plans go; a "plans" section replaces any targets.
func (c *Config) replaces(key string) {
	switch key {
	case "targets":
		c.Plans = nil
		c.forget("plans")
	case "plans":
		c.Targets = nil
		c.forget("targets")
	}
}

// parseDocument returns the top mapping of the single document in data, or nil for an empty
// file.
func parseDocument(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, yamlError(name, err)
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: holds more than one YAML document (a second \"---\"?)", name)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of settings (key: value), not a %s", name, top.Line, kindName(top.Kind))
	}
	return top, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "YAML node"
}

// record notes the line of path and of everything below it.
func (c *Config) record(file, path string, line int, n *yaml.Node) {
	c.sources[path] = fmt.Sprintf("%s:%d", file, line)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			c.record(file, path+"."+k.Value, k.Line, n.Content[i+1])
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			c.record(file, fmt.Sprintf("%s[%d]", path, i), e.Line, e)
		}
	}
}

// forget drops what is known of where key and everything below it came from, when a later
// source replaces it.
func (c *Config) forget(key string) {
	for p := range c.sources {
		if p == key || strings.HasPrefix(p, key+".") || strings.HasPrefix(p, key+"[") {
			delete(c.sources, p)
		}
	}
}

// setSource replaces the origin of the top-level key with src ("env ADMINS").
func (c *Config) setSource(key, src string) {
	if c.sources == nil {
		c.sources = map[string]string{}
	}
	c.forget(key)
	c.sources[key] = src
}

// source returns where the value at path came from: its own line, or that of the nearest
// enclosing field that has one (a missing label.vi points at its question). "" means a default
// in code.
func (c Config) source(path string) string {
	for p := path; p != ""; p = parentPath(p) {
		if s, ok := c.sources[p]; ok {
			return s
		}
	}
	return ""
}

// parentPath returns "forms[0].questions" for "forms[0].questions[3]".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

var (
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
)

// yamlError rewrites the errors of the yaml package as "file:line: message", one per line, the
// way editors and people look for them.
func yamlError(name string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = name + ": " + strings.TrimPrefix(m, "yaml: ")
		if g := yamlLine.FindStringSubmatch(m); g != nil {
			msg := g[2]
			if u := unknownField.FindStringSubmatch(msg); u != nil {
				msg = fmt.Sprintf("unknown key %q (in %s); check its spelling", u[1], u[2])
			}
			out[i] = fmt.Sprintf("%s:%s: %s", name, g[1], msg)
		}
	}
	return errors.New(strings.Join(out, "\n"))
}
