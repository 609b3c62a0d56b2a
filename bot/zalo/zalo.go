package zalo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
)

// Prefix is the platform part of Zalo identities: "zalo:<id>".
const Prefix = "zalo"

// Channel is Zalo as flows names it to people: what /kenh takes and how texts call it.
var Channel = flows.Channel{ID: Prefix, Name: "zalo", Label: "Zalo"}

// Ident is the platform-qualified identity of a Zalo chat or user, whose ids are strings.
func Ident(id string) string { return bot.Ident(Prefix, id) }

// Config configures the Zalo transport.
type Config struct {
	// Token is the Zalo Bot Platform token. It is a password: it is never logged.
	Token string
	// APIURL is the API base without "/bot<token>"; https://bot-api.zaloplatforms.com when empty.
	APIURL string
	// WebhookURL switches Run to webhook mode (the caller mounts WebhookHandler); empty means
	// getUpdates. The two exclude each other: polling deletes the webhook first.
	WebhookURL string
	// WebhookSecret is the secret_token Zalo sends in X-Bot-Api-Secret-Token; 8–256 characters,
	// required in webhook mode.
	WebhookSecret string
	// PollTimeout is getUpdates' timeout; 30s when zero.
	PollTimeout time.Duration
	// HTTPClient makes the calls; its Timeout must exceed PollTimeout.
	HTTPClient *http.Client
	// Files serves charts and spreadsheets at public URLs (sendPhoto takes a URL only); nil
	// sends their content as text instead (flows.File.Text).
	Files *Files
	// Menus keeps each chat's last choices; nil keeps them in this process's memory, which
	// suits one replica. Behind a load balancer give the shared store, so a number typed to any
	// replica chooses.
	Menus MenuStore
	// Inbox keeps what the webhook acknowledged until it is handled; nil keeps it in this
	// process's memory, which a crash loses. Behind a load balancer give the shared store, so
	// another replica handles what a dead one acknowledged.
	Inbox Inbox
	// Unreachables is told of a chat that keeps refusing messages (see unreachableAfter); nil
	// only fails the sends.
	Unreachables bot.Unreachables
	// Counter counts the messages sent per month; nil counts in this process's memory.
	Counter SentCounter
	// MonthlyQuota is the plan's outbound messages a month; 0 when unknown. At 80% of it, and
	// at it, the transport logs a warning; admins see the count in /calendar.
	MonthlyQuota int64
	// Location is the time zone months are counted in; Asia/Ho_Chi_Minh when nil.
	Location *time.Location
	// Now is the clock of months and of the Inbox's leases; time.Now when nil.
	Now func() time.Time
	// Logger receives the transport's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Observer counts updates, messages and polls, for metrics and readiness; nil counts
	// nothing.
	Observer Observer
	// Prefix is the part of this bot's identities before the colon: Prefix ("zalo") for the
	// deployment's bot, bot.BotPrefix("zalo", tenant) for a tenant's own ("zalo.lc").
	Prefix string
}

// Transport is the Zalo Bot Platform transport. Zalo has no buttons, so choices are shown as
// numbered options and a reply with the number (or the option's text) chooses it.
type Transport struct {
	api     *client
	handler bot.Handler
	prefix  string
	log     *slog.Logger
	obs     Observer
	files   *Files

	webhookURL  string
	secret      string
	pollTimeout time.Duration

	// wait and backoff are fields so tests can observe waits without spending real time.
	wait    func(ctx context.Context, d time.Duration) error
	backoff func(attempt int) time.Duration
	// handleTimeout bounds one update's handling, so a stuck handler cannot block shutdown.
	handleTimeout time.Duration

	menus  MenuStore
	queues *transport.ChatQueues // per-chat order, chats in parallel

	// The webhook's updates wait in inbox; drain claims them for lease, looks every
	// drainEvery when nothing wakes it.
	inbox      Inbox
	wake       chan struct{}
	lease      time.Duration
	drainEvery time.Duration

	unreach bot.Unreachables
	strikes strikes

	counter SentCounter
	botKey  string
	quota   int64
	loc     *time.Location
	now     func() time.Time
}

var (
	_ bot.Sender = (*Transport)(nil)
	_ bot.Usage  = (*Transport)(nil)
)

// Limits of the Zalo transport.
const (
	maxMessage  = 2000
	maxWorkers  = 32
	pollDefault = 30 * time.Second
	secretMin   = 8
	secretMax   = 256
)

// New checks the token with getMe and returns a transport ready to Run.
func New(ctx context.Context, cfg Config, h bot.Handler) (*Transport, error) {
	if cfg.Token == "" {
		return nil, errors.New("zalo: empty token")
	}
	if h == nil {
		return nil, errors.New("zalo: nil handler")
	}
	if n := len(cfg.WebhookSecret); cfg.WebhookURL != "" && (n < secretMin || n > secretMax) {
		return nil, errors.New("zalo: webhook mode needs a secret of 8-256 characters")
	}
	z := newTransport(cfg, h)
	if _, err := z.api.getMe(ctx); err != nil {
		return nil, fmt.Errorf("zalo getMe: %w", err)
	}
	return z, nil
}

// newTransport fills in the defaults; it makes no request.
func newTransport(cfg Config, h bot.Handler) *Transport {
	z := &Transport{
		handler: h, prefix: cmp.Or(cfg.Prefix, Prefix), log: cfg.Logger, obs: cfg.Observer, files: cfg.Files,
		webhookURL: cfg.WebhookURL, secret: cfg.WebhookSecret, pollTimeout: cfg.PollTimeout,
		wait: transport.Sleep, backoff: transport.Backoff, handleTimeout: transport.MaxHandling,
		menus: cfg.Menus, queues: transport.NewChatQueues(maxWorkers),
		inbox: cfg.Inbox, wake: make(chan struct{}, 1), drainEvery: drainEvery, unreach: cfg.Unreachables,
		counter: cfg.Counter, botKey: botKey(cfg.Token), quota: cfg.MonthlyQuota, loc: cfg.Location, now: cfg.Now,
	}
	z.lease = z.handleTimeout + leaseSlack
	z.defaults()
	base := strings.TrimRight(cfg.APIURL, "/")
	if base == "" {
		base = defaultAPIURL
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: z.pollTimeout + 15*time.Second}
	}
	z.api = &client{base: base, token: cfg.Token, http: hc}
	return z
}

// defaults fills in what the Config left empty.
func (z *Transport) defaults() {
	if z.log == nil {
		z.log = slog.Default()
	}
	if z.obs == nil {
		z.obs = nopObserver{}
	}
	if z.menus == nil {
		z.menus = &memMenus{max: menusMax}
	}
	if z.inbox == nil {
		z.inbox = &memInbox{}
	}
	if z.counter == nil {
		z.counter = &memCounter{}
	}
	if z.loc == nil {
		z.loc = vietnam
	}
	if z.now == nil {
		z.now = time.Now
	}
	if z.pollTimeout < time.Second {
		z.pollTimeout = pollDefault
	}
}

// vietnam is Asia/Ho_Chi_Minh, where the platform's months are counted; UTC+7 all year (no
// daylight saving) when the zone database is missing.
var vietnam = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*60*60)
}()

// Prefix implements bot.Sender: the transport sends to the identities "<prefix>:…" ("zalo:…").
func (z *Transport) Prefix() string { return z.prefix }

// Run receives updates until ctx is done: by getUpdates, or in webhook mode by registering the
// webhook and waiting. On the way out it lets the updates in hand finish and returns nil; it
// returns an error only when the webhook cannot be set.
func (z *Transport) Run(ctx context.Context) error {
	defer z.queues.Wait()
	if z.webhookURL != "" {
		return z.runWebhook(ctx)
	}
	return z.poll(ctx)
}

// job is one message to handle: its Incoming, with the input still raw text, which is only
// read against the chat's last choices when its turn comes.
type job struct {
	in   bot.Incoming
	text string // "" for media
}

// convert turns an update into a job. It reports false for what the bot ignores: group chats,
// messages from bots, events without a message.
func (z *Transport) convert(u update) (job, bool) {
	m := u.Message
	if m == nil || m.Chat.ID == "" || m.From.ID == "" || m.From.IsBot {
		return job{}, false
	}
	if t := strings.ToUpper(m.Chat.ChatType); t != "" && t != "PRIVATE" {
		return job{}, false // reports are personal: the bot talks in private chats only
	}
	j := job{in: bot.Incoming{
		UpdateID: bot.Ident(z.prefix, m.MessageID),
		Chat:     bot.Ident(z.prefix, m.Chat.ID),
		User:     bot.Ident(z.prefix, m.From.ID),
		Name:     senderName(m.From.DisplayName, m.From.Name),
	}}
	if m.MessageID == "" {
		j.in.UpdateID = "" // nothing to de-duplicate by
	}
	switch u.EventName {
	case "message.text.received":
		if strings.TrimSpace(m.Text) == "" {
			return job{}, false
		}
		j.text = m.Text
	default: // image, sticker, unsupported: the handler asks for text, kindly
		j.in.Input = flows.Input{Kind: flows.MediaInput}
	}
	return j, true
}

// senderName is the name to call the sender by. The docs send display_name, some deployments
// name, others both with the same value: one of them, never the two joined ("Ted Ted").
func senderName(display, name string) string {
	if d := strings.TrimSpace(display); d != "" {
		return d
	}
	return strings.TrimSpace(name)
}

// process reads the job's text against the chat's last choices, handles it and sends the
// replies. ctx survives shutdown, so an update in hand is finished; handleTimeout bounds it.
func (z *Transport) process(ctx context.Context, j job) {
	ctx, cancel := context.WithTimeout(ctx, z.handleTimeout)
	defer cancel()
	z.strikes.forget(j.in.Chat) // they wrote: they can be reached, whatever failed before
	if j.text != "" {
		j.in.Input = z.input(ctx, j.in.Chat, j.text)
	}
	for _, r := range transport.Handle(ctx, z.handler, j.in, z.log, "zalo") {
		if err := z.deliver(ctx, j.in.Chat, r, true); err != nil {
			z.log.Warn("zalo: reply failed", "chat", j.in.Chat, "update", j.in.UpdateID, "err", err)
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// submit queues j behind its chat's earlier updates.
func (z *Transport) submit(ctx context.Context, j job, done func()) error {
	handleCtx := context.WithoutCancel(ctx)
	return z.queues.Submit(ctx, j.in.Chat, func() {
		defer done()
		z.process(handleCtx, j)
	})
}
