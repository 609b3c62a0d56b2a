package config

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"danvan/flows"
)

// dateKeys are the keys of a directory entry that hold a date.
var dateKeys = map[string]bool{"valid_from": true, "valid_to": true}

// checkDates reads every valid_from and valid_to of the units section before the file is
// decoded, so a date written wrongly is reported at its line ("config.yaml:42: units[7].valid_to:
// ..."): the decoder itself would name no line for it.
func checkDates(name string, root *yaml.Node) error {
	var errs []error
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "units" || root.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for j, entry := range root.Content[i+1].Content {
			if entry.Kind != yaml.MappingNode {
				continue
			}
			for k := 0; k+1 < len(entry.Content); k += 2 {
				key, val := entry.Content[k], entry.Content[k+1]
				if !dateKeys[key.Value] {
					continue
				}
				if _, err := flows.ParseDate(val.Value); err != nil || val.Kind != yaml.ScalarNode {
					errs = append(errs, fmt.Errorf("%s:%d: units[%d].%s: %q is not a date written yyyy-mm-dd (2025-07-01)", name, val.Line, j, key.Value, val.Value))
				}
			}
		}
	}
	return errors.Join(errs...)
}
