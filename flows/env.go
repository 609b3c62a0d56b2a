package flows

import "time"

// Env holds the facts a step may read: configuration and what the store knows of the person's
// reports. The caller loads it before calling Step; Step never fetches anything itself.
type Env struct {
	Person     Person
	Dir        *Directory
	Forms      []Form
	Calendar   Calendar
	Indicators []Indicator
	// Reports has an entry for every report the person can work on now: each of their units ×
	// each open period × each form. ReportQueries says which.
	Reports map[Key]ReportInfo
	// InviteTTL is how long a new invite code lives.
	InviteTTL time.Duration
	// BotName makes deep links: https://t.me/<BotName>?start=<code>.
	BotName string
	// Channels are the platforms the host runs, in the order texts name them: /kenh takes one
	// of them, /lienket links accounts across them.
	Channels []Channel
	// Tallies, Progress, History and Plan hold what Wants named, loaded by the caller. History
	// lists every version of a report, oldest first, returns included (Returned set on the
	// version that was sent back).
	Tallies  map[TallyKey]Tally
	Progress map[string]UnitProgress
	History  map[Key][]Submission
	Plan     *Plan
	// Usage is what each channel counted of the month's messages, loaded along with Plan.
	Usage []ChannelUsage
	// Contacts are the people those views name (organisers, submitters, who returned a report),
	// by id, loaded by the caller along with Progress and History: names to show, and each
	// one's language for what is sent to them.
	Contacts map[string]Person
	// Register is the "Dân vận khéo" register's data (its fields and levels); Models holds, by
	// unit id, the models of the units Want.Models named, loaded by the caller.
	Register Register
	Models   map[string][]Model
	// Code is a fresh random invite code, used if this step makes an invite: randomness is the
	// caller's, so Step stays a pure function of its inputs.
	Code string
}

// Form returns the form with id.
func (e *Env) Form(id string) (Form, bool) {
	for _, f := range e.Forms {
		if f.ID == id {
			return f, true
		}
	}
	return Form{}, false
}

// ReportQuery names a report the caller must load into Env.Reports, with the period whose
// submission counts as "previous" for it.
type ReportQuery struct {
	Key      Key
	Person   string
	Previous string // period id, "" when there is none
}

// ReportQueries lists the reports Env.Reports must hold for p at now.
func ReportQueries(p Person, forms []Form, cal Calendar, now time.Time) []ReportQuery {
	var out []ReportQuery
	for _, per := range cal.Open(now) {
		prev := ""
		if pp, ok := cal.Previous(per); ok {
			prev = pp.ID
		}
		for _, u := range p.Units {
			for _, f := range forms {
				out = append(out, ReportQuery{Key: Key{Unit: u, Period: per.ID, Form: f.ID}, Person: p.ID, Previous: prev})
			}
		}
	}
	return out
}
