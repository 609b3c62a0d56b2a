package bot

import (
	"context"
	"fmt"
	"slices"

	"danvan/flows"
)

// linkIdent redeems a link code (flows.LinkRole): the sender's identity is linked to the person
// who asked for the code, so both platforms share one person, one set of drafts and reports.
// What the sender's identity held on its own (units, scopes of an earlier invite) is kept.
func (d *Dispatcher) linkIdent(ctx context.Context, in Incoming, p flows.Person, inv flows.Invite, lang flows.Lang) ([]flows.Reply, error) {
	if len(inv.Nodes) == 0 {
		return []flows.Reply{{Text: flows.T(lang, "inv_bad", flows.OfficeName(d.office(p, in.Chat), lang))}}, nil
	}
	target, err := d.People.Person(ctx, inv.Nodes[0])
	if err != nil {
		return nil, fmt.Errorf("load person %s to link: %w", inv.Nodes[0], err)
	}
	if target.ID == "" {
		return []flows.Reply{{Text: flows.T(lang, "inv_bad", flows.OfficeName(d.office(p, in.Chat), lang))}}, nil // the person is gone
	}
	if target.ID == p.ID {
		return []flows.Reply{{Text: flows.T(lang, "link_same")}}, nil
	}
	target = mergeInto(target, p)
	if len(target.Idents) == 0 {
		target.Idents = []string{target.ID} // the identity that joined first is the person's id
	}
	if !slices.Contains(target.Idents, in.User) {
		target.Idents = append(target.Idents, in.User)
	}
	if err := d.People.Link(ctx, in.User, target); err != nil {
		return nil, fmt.Errorf("link %s to %s: %w", in.User, target.ID, err)
	}
	d.cache.drop(target.ID) // the first identity's private chat holds the person as it was
	d.logger().InfoContext(ctx, "identity linked", "person", target.ID, "ident", in.User)
	if d.Settings.Admins[in.User] {
		target.Admin = true
	}
	if target.Lang != "" {
		lang = target.Lang
	}
	return []flows.Reply{{Text: flows.T(lang, "link_ok", target.Name) + "\n\n" + flows.Help(target, d.Settings.Dir, d.Settings.Channels, lang)}}, nil
}

// mergeInto returns target with the units and scopes of other added.
func mergeInto(target, other flows.Person) flows.Person {
	for _, u := range other.Units {
		if !slices.Contains(target.Units, u) {
			target.Units = append(target.Units, u)
		}
	}
	for _, s := range other.Scopes {
		if !slices.Contains(target.Scopes, s) {
			target.Scopes = append(target.Scopes, s)
		}
	}
	return target
}
