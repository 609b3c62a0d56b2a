package storage

import "time"

// Retention: how long each kind of key lives, in one place. Redis forgets a key when its TTL
// runs out; a key without one is kept until something deletes it.
//
//	what                                 key                       lives
//	submissions, their history, the      P{u:…}:sub, :hist,        for good: they are the record
//	  "who has submitted" index,         :submitted, :people;      (who sent or changed what,
//	  organisers, people, identities,    P person:, ident:,        when); nothing deletes them
//	  leaders, tallies, the "Dân vận     leaders, P{t:…}:tally,
//	  khéo" register                     P{u:…}:models
//	drafts                               P{u:…}:draft:…            until their period closes
//	                                                               (Draft.Until); DraftTTL without
//	conversation state of a chat         P session:<chat>          SessionTTL after its last save
//	reminder log: sent marks, snoozes,   P{rm:…}:done:…, snooze:,  ReminderTTL
//	  who had a step, settled steps      snoozes:, rsent:,
//	                                     remind:step:
//	the reminders' revision              P remind:rev              for good (one integer)
//	reminder claims                      P{rm:…}:claim:…           lease (config reminders.lease)
//	                                                               + claimGrace
//	leaders' nudges                      P{u:<unit>}:nudge         NudgeTTL
//	update ids (de-duplication)          P update:<id>             UpdateTTL (commit.go)
//	tally markers (Cluster)              P{t:…}:applied:…          AppliedTTL
//	replaced tally generations           P{t:…}:g<n>:…, trash      until the recount that
//	                                                               replaced them deletes them
//	invite codes                         P invite:<code>           the invite's life (config
//	                                                               invite_ttl, 168h; link codes
//	                                                               30 min, flows)
//	wrong-code counter                   P fail:<chat>             the bot's window (1 h)
//	files served to Zalo                 P file:<token>            the URL's life (config
//	                                                               file_ttl, 1 h)
//	files-per-hour counter               P fput:<chat>             filePutWindow
//	Zalo menus                           P zmenus:<chat>           24 h after the last message
//	                                                               with choices (the bot's)
//	key schema                           P meta:schema             for good
//
// The 400 days cover a reporting year and its reminders with room to spare: a reminder's sent
// mark must outlive every tick that could send that reminder again (catch-up after a restart
// included), or it would go out twice, so it is not for operators to shorten. Invite and file
// lives are settings because they weigh convenience against exposure.

// DraftTTL is how long a draft without a Draft.Until is kept. Drafts made by the flows carry the
// close of their period in Until and live exactly that long; this only bounds the others.
const DraftTTL = 400 * 24 * time.Hour

// SessionTTL is how long an idle chat's conversation state is kept. A chat silent for longer
// starts again from the zero State; its drafts are keyed by person and live on their own TTL.
const SessionTTL = 400 * 24 * time.Hour

// ReminderTTL is how long a reminder's sent mark and a snooze are kept: the reminder log.
const ReminderTTL = 400 * 24 * time.Hour

// claimGrace keeps a claim key in Redis this long past its lease, as a clean-up bound only.
const claimGrace = time.Hour

// NudgeTTL is how long a unit's latest nudge (who, when) is kept: past the day it is for,
// in any time zone.
const NudgeTTL = 48 * time.Hour

// AppliedTTL is how long the marker of a tally change applied on Cluster (appliedKey) is kept: as
// long as a draft, far past any retry of the script that set it.
const AppliedTTL = DraftTTL

// filePutWindow is the window PutFile counts a chat's files in.
const filePutWindow = time.Hour
