// Package reminders chases the organisers who have not reported before each quarterly,
// six-monthly and yearly deadline (section III.3 of the plan), and tells leaders after it.
// It never talks to Redis or a platform itself: it reads and claims through the ports it
// declares (Store, Survey, Steps, Claims, Snoozes, Nudges) and sends through Sender,
// importing neither storage nor any transport; what it does is counted through its Observer
// port, which the operators' metrics implement.
//
// # What goes out
//
// Each period of flows.Calendar has a ladder of Steps relative to its due day (−7d, −2d, the
// morning of the due day, +1d, +3d to organisers; a digest to leaders at +1d and +3d): the
// default one, or its kind's own (Rules.ByKind, Rules.StepsFor), all in the calendar's zone
// (Asia/Ho_Chi_Minh). A step falling outside the sending hours, on a skipped weekday or a
// holiday waits for the next allowed moment (Rules.Allowed), except a step of the due day or
// before it that this would push past the due day: when the due day is a Sunday or a holiday,
// the due-day reminder goes on the last allowed day before it (Rules.When), since a reminder of
// a deadline helps only before it. Where two steps land on one day, only the one meant latest
// goes, so nobody gets two reminders of one period in a day.
//
// A ladder may end with a report step (Step.Report, after the last digest): each leader then
// gets, once, the chart of their scope and the draft of the period's written report (push.go).
// Those replies carry an Attach and no file: the Sender (the bot's router) renders them through
// its own port, so this package imports neither the files nor a transport.
//
// An organiser gets one message per step listing every unit of theirs that has not submitted
// every form (a returned report counts as not submitted), with "Báo cáo ngay", "▶️ Tiếp tục"
// for a draft, and "Nhắc lại ngày mai". Who is missing is read again just before each send, so a
// unit that submitted a minute ago is left out. A leader's digest covers their scopes only
// ("node" or "node@org") and fits one message (4,000 characters) whatever their size: how many
// units reported; for more than ten units, the count by place (or organisation) with the ten
// furthest behind; ten each of the missing units, the late ones and the organisers who blocked
// the bot, with how many more; "Nhắc tất cả"; and the full list, unit by unit, as a spreadsheet
// (an Attach the Sender renders: the workbook /export sends). People marked unreachable are
// skipped.
//
// A period's units are those in force on its due day (flows.Directory.In); the units each
// leader's scopes cover are a lookup in an index of that directory built once (never a walk of
// the directory per leader).
//
// # When
//
// Cron (robfig/cron v3, Run) only ticks; Tick works out from the calendar what is due at now:
// for each period the latest step whose moment has come. A restart after a downtime therefore
// catches up with that one step only (never a −7-day reminder after the due day), and waits for
// the sending hours to do it. The cron chain is SkipIfStillRunning around Recover (see Chain).
//
// A tick costs what is due. Where every unit stands is read at once (Survey.Status: a byte per
// unit and form from the tallies), the organisers of the missing units in one pipelined round
// trip, who has had the step in one more (Steps.Reached, sets DoneReminder fills), the snoozes
// in one; the people's records are read a thousand at a time as the fan-out goes. Once
// everybody a step is for has had it or has no need of it, the step is marked settled in Redis
// (Steps.MarkStep) with the Survey's revision, which every return, Link and snooze moves, and the
// moment the first snooze still holding someone back runs out. A tick whose marks hold reads the
// marks and the revision, two round trips, and stops: in this process, in every replica and
// after a restart alike.
//
// Plan, for /reminders and /remind, reads the same: per coming step how many people it reaches
// (ten named), on which channel (the platform each joined on) and how long the fan-out takes at
// Config.PerSecond per bot token; per open period what a /remind would send.
//
// # Exactly once, and which way it fails
//
// Each (period, step, person) is claimed in Redis with a lease just before it is sent (Claims),
// and marked done after the send succeeded; other replicas skip a claimed or done reminder. The
// lease runs from the moment of the claim, on the scheduler's clock, and the sending replica
// extends it every third of it while the send runs (paced, 429s, retries), so a replica that
// starts in the middle of a long wave takes over nothing still being sent. A claim whose holder
// died is taken over once its lease has run out, so a crash between claim and send still gets
// the reminder out. A graceful stop settles its claims on a context of its own (a short
// timeout): what went out is marked done, what did not is released for the next replica at once. The one window left is a crash after the message left and before
// the done mark was written: the reminder then goes out a second time after the lease. That is
// the at-least-once choice, made on purpose: a duplicate reminder costs a person a second look
// at their phone, while a lost one (at-most-once: mark done before sending) costs a missed
// deadline, which is what the bot is for. A failed send releases its claim for the next tick;
// a network error on a send that may have arrived is retried too, for the same reason.
//
// # Pace
//
// Fanout paces the sends: 25 messages/s per bot token by default, shared by every replica
// through a Rate (storage.FanoutRate: a GCRA limit in Redis on the server's clock), at most one
// per person per second, 429s waited out (by the Telegram transport's own retry_after handling) and other
// failures retried with backoff; 403 ends in ErrUnreachable. Interactive replies do not go
// through it and keep the rest of Telegram's ~30/s, so a fan-out never starves people talking to
// the bot, however many replicas send.
//
// The dispatcher's ports are Scheduler.Plan (for /reminders and /calendar) and Scheduler.Remind
// (for flows.Remind: /remind and the leaders' buttons).
package reminders
