// Package reminders chases the organisers who have not reported before each quarterly,
// six-monthly and yearly deadline (section III.3 of the plan), and tells leaders after it.
// It never talks to Redis or a platform itself: it reads and claims through the ports it
// declares (Store, Claims, Snoozes, Nudges) and sends through Sender, importing neither
// storage nor any transport; what it does is counted through its Observer port, which the
// operators' metrics implement.
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
// ("node" or "node@org"), lists the missing units, the late ones and the organisers who blocked
// the bot, and has "Nhắc tất cả". People marked unreachable are skipped.
//
// # When
//
// Cron (robfig/cron v3, Run) only ticks; Tick works out from the calendar what is due at now:
// for each period the latest step whose moment has come. A restart after a downtime therefore
// catches up with that one step only (never a −7-day reminder after the due day), and waits for
// the sending hours to do it. The cron chain is SkipIfStillRunning around Recover (see Chain).
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
