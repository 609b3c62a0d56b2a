package flows

import (
	"slices"
	"time"
)

// Person is someone the bot knows: an organiser of some units, a leader of some scopes, an
// admin, or several of these at once.
type Person struct {
	ID   string `json:"id"` // stable across platforms: "tg:12345" for the identity that joined first
	Name string `json:"name,omitempty"`
	Lang Lang   `json:"lang,omitempty"`
	// Units are the units this person reports for, as organiser.
	Units []string `json:"units,omitempty"`
	// Scopes are the directory nodes whose figures this person may read, as leader.
	Scopes []string `json:"scopes,omitempty"`
	// Admin is set from config, never stored: the bootstrap admins named there by platform user
	// id administer every tenant.
	Admin bool `json:"-"`
	// AdminOf are the directory nodes this person administers, as a tenant's admin (invited
	// with an admin scope): they read everything there, invite people to it and run its
	// reminders, and nothing outside it.
	AdminOf []string `json:"admin_of,omitempty"`
	// Unreachable is set when the person blocked the bot: nothing more is sent to them.
	Unreachable bool `json:"unreachable,omitempty"`
	// Idents are the platform identities linked to the person ("tg:12345", "zalo:8f3a..."),
	// first linked first.
	Idents []string `json:"idents,omitempty"`
	// Channel is the platform the person prefers messages the bot starts (reminders, notices)
	// to arrive on, by its Channel.ID ("tg"); "" means the first of Idents.
	Channel string `json:"channel,omitempty"`
}

// Known reports whether p was linked by an invite or is an admin; strangers get an explanation only.
func (p Person) Known() bool {
	return p.ID != "" && (IsAdmin(p) || len(p.Units) > 0 || len(p.Scopes) > 0)
}

// Organises reports whether p reports for unit.
func (p Person) Organises(unit string) bool { return slices.Contains(p.Units, unit) }

// Role is what an invite makes of the person who redeems it.
type Role string

// The roles an invite can give.
const (
	Organiser Role = "organiser"
	Leader    Role = "leader"
	// AdminRole makes a tenant's admin ("Quản trị viên") of the places it names.
	AdminRole Role = "admin"
)

// Invite is a one-time code an admin hands to a new organiser or leader.
type Invite struct {
	Code    string    `json:"code"`
	Role    Role      `json:"role"`
	Nodes   []string  `json:"nodes"` // units for an organiser, scopes for a leader, places for an admin
	By      string    `json:"by"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Grant returns p with what inv gives added, without duplicates.
func (inv Invite) Grant(p Person) Person {
	for _, n := range inv.Nodes {
		switch {
		case inv.Role == Organiser && !slices.Contains(p.Units, n):
			p.Units = append(p.Units, n)
		case inv.Role == Leader && !slices.Contains(p.Scopes, n):
			p.Scopes = append(p.Scopes, n)
		case inv.Role == AdminRole && !slices.Contains(p.AdminOf, n):
			p.AdminOf = append(p.AdminOf, n)
		}
	}
	return p
}
