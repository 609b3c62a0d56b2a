package zalo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"danvan/flows"
)

// SentCounter counts the messages a bot sent, per month, so an operator sees how far the month
// is into the plan's quota: the platform's plans bound outbound messages (one client reports
// 3,000 a month on the free plan; unconfirmed). With a shared store (storage.Store on Redis)
// every replica adds to one count. The bot is named by a hash of its token, never the token.
type SentCounter interface {
	// CountSent adds one message to bot's count for month ("2026-03") and returns the count.
	CountSent(ctx context.Context, bot, month string) (int64, error)
	// Sent returns bot's count for month; 0 when none was sent.
	Sent(ctx context.Context, bot, month string) (int64, error)
}

// botKey names the bot in counts: the first 16 hex digits of its token's SHA-256, enough to
// tell bots apart and useless to anyone who would call the API with it.
func botKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// month is the count a moment falls in: its month in the bot's time zone (Asia/Ho_Chi_Minh).
func (z *Transport) month(at time.Time) time.Time {
	at = at.In(z.loc)
	return time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, z.loc)
}

// sent counts one message chat was sent, and warns once when the count reaches 80% of the
// monthly quota and once when it reaches the quota: each count is handed out once, across
// replicas, so exactly one process writes each line. A count that fails is only logged: the
// message went, and counting must never stop one.
func (z *Transport) sent(ctx context.Context, chat string) {
	m := z.month(z.now())
	n, err := z.counter.CountSent(ctx, z.botKey, m.Format("2006-01"))
	if err != nil {
		z.log.Debug("zalo: message not counted", "chat", chat, "err", err)
		return
	}
	if z.quota <= 0 {
		return
	}
	switch n {
	case quotaWarnAt(z.quota):
		z.log.Warn("zalo: 80% of the monthly message quota used; check the bot's plan", "month", m.Format("2006-01"), "sent", n, "quota", z.quota)
	case z.quota:
		z.log.Warn("zalo: monthly message quota reached; Zalo may refuse messages until next month", "month", m.Format("2006-01"), "sent", n, "quota", z.quota)
	}
}

// quotaWarnAt is 80% of quota, rounded up.
func quotaWarnAt(quota int64) int64 { return (quota*8 + 9) / 10 }

// Usage implements bot.Usage: the messages sent on Zalo in now's month, against the
// configured quota (0 when unknown), for an admin's /calendar.
func (z *Transport) Usage(ctx context.Context, now time.Time) ([]flows.ChannelUsage, error) {
	m := z.month(now)
	n, err := z.counter.Sent(ctx, z.botKey, m.Format("2006-01"))
	if err != nil {
		return nil, err
	}
	return []flows.ChannelUsage{{Channel: Channel.Label, Bot: z.prefix, Year: m.Year(), Month: int(m.Month()), Sent: n, Quota: z.quota}}, nil
}

// memCounter is the SentCounter of one process: its counts start again at every start.
type memCounter struct {
	mu sync.Mutex
	n  map[string]int64
}

var _ SentCounter = (*memCounter)(nil)

// CountSent adds one to bot's count for month.
func (c *memCounter) CountSent(_ context.Context, bot, month string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int64{}
	}
	c.n[bot+":"+month]++
	return c.n[bot+":"+month], nil
}

// Sent returns bot's count for month.
func (c *memCounter) Sent(_ context.Context, bot, month string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[bot+":"+month], nil
}
