package flows

import "time"

// Env holds the facts a step may read: configuration and what the store knows of the person's
// reports. The caller loads it before calling Step; Step never fetches anything itself.
type Env struct {
	Person   Person
	Dir      *Directory
	Forms    []Form
	Calendar Calendar
	// Indicators are the targets the person's figures are judged against when the Env has no
	// Tenants: the single plan of a deployment that knows none. With Tenants they are every
	// target the person's tenant's plans define (what /chart may name); a period's figures are
	// judged against IndicatorsIn.
	Indicators []Indicator
	// Tenants are the provinces the deployment serves, each with its calendar, office and plans;
	// nil for one that knows none. The caller has put the person's tenant's calendar and office
	// into Calendar and Office already.
	Tenants *Tenancy
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
	// Via is the platform this chat is on, one of Channels; zero when it is none of them (the
	// console).
	Via Channel
	// Tallies, Progress, History and Plan hold what Wants named, loaded by the caller. History
	// lists every version of a report, oldest first, returns included (Returned set on the
	// version that was sent back).
	Tallies  map[TallyKey]Tally
	Progress map[string]UnitProgress
	// Status holds, for the units Want.Status names, whether each form is in (UnitStatus, bit
	// i for Forms[i]). A unit without it is read from Progress.
	Status  map[string]UnitStatus
	History map[Key][]Submission
	Plan    *Plan
	// Usage is what each channel counted of the month's messages, loaded along with Plan.
	Usage []ChannelUsage
	// Sheet is the check of the file an admin sent (Want.Sheet), made by the caller: flows
	// never reads a spreadsheet. Nil when no check was made.
	Sheet *DirectoryCheck
	// Contacts are the people those views name (organisers, submitters, who returned a report),
	// by id, loaded by the caller along with Progress and History: names to show, and each
	// one's language for what is sent to them.
	Contacts map[string]Person
	// Office names the body that runs the bot, the one people without an invite or a scope are
	// told to contact: since 2025 the province's Ban Tuyên giáo và Dân vận. It is data (config);
	// empty reads DefaultOffice.
	Office Text
	// Register is the "Dân vận khéo" register's data (its fields and levels); Models holds, by
	// unit id, the models of the units Want.Models named, loaded by the caller.
	Register Register
	Models   map[string][]Model
	// Code is a fresh random invite code, used if this step makes an invite: randomness is the
	// caller's, so Step stays a pure function of its inputs.
	Code string

	// covered keeps the units the last /missing request covered, worked out from the fields
	// above (which the caller does not change during a step), so Wants, its second round and
	// Step walk the directory once.
	covered *coveredMemo
}

// DefaultOffice is what texts call the body that runs the bot when the configuration names none.
var DefaultOffice = Text{Vi: "Ban Dân vận", En: "Ban Dân vận"}

// OfficeName is Office (or DefaultOffice) in lang.
func (e *Env) OfficeName(lang Lang) string { return OfficeName(e.Office, lang) }

// OfficeName is office in lang, or DefaultOffice's name when office has no Vietnamese name.
func OfficeName(office Text, lang Lang) string {
	if office.Vi == "" {
		office = DefaultOffice
	}
	return office.In(lang)
}

// IndicatorsIn returns the targets the figures of node in period per are judged against: those
// of the plan its tenant follows in per's year (the default tenant's for node "" or a node in
// no tenant), or Indicators when the Env has no Tenants.
func (e *Env) IndicatorsIn(node string, per Period) []Indicator {
	if e.Tenants == nil {
		return e.Indicators
	}
	tn, ok := e.Tenants.Of(node)
	if !ok {
		tn = e.Tenants.Default()
	}
	return tn.Indicators(per)
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
	// Before names the units whose submissions for Previous stand in for the unit's own (into
	// ReportInfo.Before): its predecessors, when the unit was not yet in force on the previous
	// period's due day. Empty otherwise.
	Before []string
}

// ReportQueries lists the reports Env.Reports must hold for p at now: each of p's units in
// force in each open period (Directory.In) × each form.
func ReportQueries(p Person, dir *Directory, forms []Form, cal Calendar, now time.Time) []ReportQuery {
	var out []ReportQuery
	for _, per := range cal.Open(now) {
		pp, hasPrev := cal.Previous(per)
		for _, u := range p.Units {
			if dir.In(per).UnitCount(u, AllOrgs) == 0 {
				continue // merged away, not yet formed, or unknown: nothing to report for per
			}
			q := ReportQuery{Person: p.ID}
			if hasPrev {
				q.Previous = pp.ID
				if !dir.Active(u, DateOf(pp.Due)) {
					q.Before = dir.Predecessors(u)
				}
			}
			for _, f := range forms {
				q.Key = Key{Unit: u, Period: per.ID, Form: f.ID}
				out = append(out, q)
			}
		}
	}
	return out
}
