package flows

import "time"

// Want names the data a step will read beyond its Env's usual facts: a leader's figures, the
// progress of units, a reminder plan. The caller asks Wants before Step, loads what it names into
// Env, then runs Step; Step itself never fetches anything.
type Want struct {
	// Tallies are the aggregates a figures view or chart reads (into Env.Tallies).
	Tallies []TallyKey
	// Progress names units whose progress in Period the step reads (into Env.Progress).
	Progress []string
	Period   string
	// History names reports whose every submitted version a unit view shows (into Env.History).
	History []Key
	// Plan asks for the reminder plan an admin previews (into Env.Plan).
	Plan bool
	// Models names units whose "Dân vận khéo" models the step reads (into Env.Models).
	Models []string
	// Sheet asks for the check of the file an admin sent as a directory sheet (into Env.Sheet).
	Sheet bool
	// Status names units whose status in Period (a bit per form of Env.Forms) the caller loads
	// into Env.Status: what a /missing list pages through, a few commands for any number.
	Status []string
	// Again asks the caller to call Wants once more when this is loaded: what the step reads
	// next depends on it (the units of a /missing page are known once their status is).
	Again bool
}

// Wants returns what Step will read for in, given the person and the chat's state. It is cheap
// and pure; what it names is loaded even when Step then refuses the request (a scope check), so
// Step, not Wants, is where access is decided.
func Wants(env *Env, st State, in Input, now time.Time) Want {
	if !env.Person.Known() {
		return Want{}
	}
	w := leaderWants(env, parseLeader(env, st, in, now))
	w.Plan = wantsPlan(env, in)
	w.Models = modelWants(env, st, in)
	w.Sheet = wantsSheet(env, in)
	return w
}
