package telegram

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/bot"
	"danvan/bot/transport"
	"danvan/flows"
)

// Prefix is the platform part of Telegram identities: "tg:12345".
const Prefix = "tg"

// Channel is Telegram as flows names it to people: what /kenh takes and how texts call it. The
// bot receives the files people send on it (a directory sheet).
var Channel = flows.Channel{ID: Prefix, Name: "telegram", Label: "Telegram", Uploads: true}

// Ident is the platform-qualified identity of a Telegram chat or user.
func Ident(id int64) string { return bot.Ident(Prefix, strconv.FormatInt(id, 10)) }

// Config configures the Telegram transport.
type Config struct {
	// Token is the bot token from @BotFather. It is a password: it is never logged.
	Token string
	// APIURL is the Bot API base without the "/bot<token>" part; "https://api.telegram.org" when
	// empty. Tests point it at a fake.
	APIURL string
	// WebhookURL switches Run to webhook mode: Telegram posts updates there and the caller mounts
	// WebhookHandler on its HTTP server. Empty means long polling.
	WebhookURL string
	// WebhookSecret is the secret_token Telegram echoes in every webhook request; required in
	// webhook mode (1–256 characters of A-Z, a-z, 0-9, _ and -).
	WebhookSecret string
	// PollTimeout is the long-polling timeout; 30s when zero, at least 1s.
	PollTimeout time.Duration
	// HTTPClient makes the Bot API calls. Its Timeout must exceed PollTimeout. The default has
	// a timeout of PollTimeout + 15s.
	HTTPClient *http.Client
	// Logger receives the transport's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Observer counts updates, messages and polls, for metrics and readiness; nil counts
	// nothing.
	Observer Observer
	// Prefix is the part of this bot's identities before the colon: Prefix ("tg") for the
	// deployment's bot, bot.BotPrefix("tg", tenant) for a tenant's own ("tg.lc"). A Telegram
	// user's chat with one bot is not a chat with another, so each bot's identities and update
	// ids are its own.
	Prefix string
}

// Transport is the Telegram transport: it turns Bot API updates into bot.Incoming for the
// Handler and sends the Handler's replies back, by long polling or webhook.
type Transport struct {
	api        *tgbotapi.BotAPI
	httpClient *http.Client
	apiURL     string // the Bot API base, files are downloaded from below it
	token      string
	name       string
	handler    bot.Handler
	prefix     string
	unreach    bot.Unreachables
	log        *slog.Logger
	obs        Observer

	webhookURL  string
	secret      string
	pollTimeout time.Duration
	// busyPoll paces getUpdates while updates are in hand, which Telegram then sends back at
	// once: it bounds how long a new update of another chat waits to be taken.
	busyPoll time.Duration

	// wait and backoff are fields so tests can observe waits without spending real time.
	wait    func(ctx context.Context, d time.Duration) error
	backoff func(attempt int) time.Duration

	// handleTimeout bounds one update's handling, so a stuck handler cannot block shutdown.
	handleTimeout time.Duration
	// maxRetryAfter is the longest 429 wait a send accepts; longer floods are given up.
	maxRetryAfter time.Duration
	sendAttempts  int

	queues *transport.ChatQueues
	bg     sync.WaitGroup
}

var _ bot.Sender = (*Transport)(nil)

const (
	defaultAPIURL      = "https://api.telegram.org"
	defaultPollTimeout = 30 * time.Second
	maxWorkers         = 32 // chats handled at once
	maxMessage         = 4096
	maxCallbackData    = 64
)

// allowedUpdates keeps Telegram from sending kinds of update the bot ignores anyway.
var allowedUpdates = []string{"message", "callback_query"}

// commands is the menu Telegram shows next to the text box.
var commands = []tgbotapi.BotCommand{
	{Command: "start", Description: "Bắt đầu, liên kết tài khoản bằng mã mời"},
	{Command: "report", Description: "Nộp báo cáo số liệu kỳ này"},
	{Command: "mine", Description: "Xem các báo cáo đã gửi"},
	{Command: "help", Description: "Hướng dẫn sử dụng"},
	{Command: "cancel", Description: "Hủy thao tác đang làm"},
	{Command: "lang", Description: "Đổi ngôn ngữ (Tiếng Việt / English)"},
	{Command: "figures", Description: "Số liệu tổng hợp so với chỉ tiêu (lãnh đạo)"},
	{Command: "missing", Description: "Đơn vị chưa nộp báo cáo (lãnh đạo)"},
	{Command: "chart", Description: "Biểu đồ một chỉ tiêu (lãnh đạo)"},
	{Command: "export", Description: "Bảng tính Excel/CSV (lãnh đạo)"},
	{Command: "lienket", Description: "Liên kết tài khoản Telegram và Zalo"},
	{Command: "kenh", Description: "Chọn nơi nhận nhắc nhở: telegram hoặc zalo"},
	{Command: "invite", Description: "Mời người dùng mới (quản trị viên)"},
	{Command: "calendar", Description: "Lịch báo cáo và nhắc nhở (quản trị viên)"},
	{Command: "reminders", Description: "Xem trước nhắc nhở sắp gửi (quản trị viên)"},
	{Command: "remind", Description: "Gửi nhắc nhở ngay cho một kỳ (quản trị viên)"},
	{Command: "directory", Description: "Danh bạ đơn vị: nhận bảng, gửi bảng mới để kiểm tra (quản trị viên)"},
}

var secretRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// New checks the token with getMe and returns a transport ready to Run. h handles the updates;
// u (may be nil) learns who blocked the bot.
func New(ctx context.Context, cfg Config, h bot.Handler, u bot.Unreachables) (*Transport, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: empty token")
	}
	if h == nil {
		return nil, errors.New("telegram: nil handler")
	}
	if cfg.WebhookURL != "" && !secretRe.MatchString(cfg.WebhookSecret) {
		return nil, errors.New("telegram: webhook mode needs a secret of 1-256 characters A-Z a-z 0-9 _ -")
	}
	t := newTransport(cfg, h, u)
	apiURL := cfg.APIURL
	if apiURL == "" {
		apiURL = defaultAPIURL
	}
	t.apiURL = strings.TrimRight(apiURL, "/")
	// The endpoint is a Sprintf pattern: a literal % in the URL must not become a verb.
	endpoint := strings.ReplaceAll(strings.TrimRight(apiURL, "/"), "%", "%%") + "/bot%s/%s"
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, ctxDoer{ctx: ctx, c: t.httpClient})
	if err != nil {
		return nil, fmt.Errorf("telegram getMe: %w", t.redact(err))
	}
	api.Client = t.httpClient
	t.api = api
	t.name = api.Self.UserName
	return t, nil
}

// newTransport fills in the defaults; it makes no request.
func newTransport(cfg Config, h bot.Handler, u bot.Unreachables) *Transport {
	t := &Transport{
		httpClient:    cfg.HTTPClient,
		token:         cfg.Token,
		prefix:        cmp.Or(cfg.Prefix, Prefix),
		handler:       h,
		unreach:       u,
		log:           cfg.Logger,
		obs:           cfg.Observer,
		webhookURL:    cfg.WebhookURL,
		secret:        cfg.WebhookSecret,
		pollTimeout:   cfg.PollTimeout,
		busyPoll:      500 * time.Millisecond,
		wait:          transport.Sleep,
		backoff:       transport.Backoff,
		handleTimeout: transport.MaxHandling,
		maxRetryAfter: time.Minute,
		sendAttempts:  4,
		queues:        transport.NewChatQueues(maxWorkers),
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	if t.obs == nil {
		t.obs = nopObserver{}
	}
	if t.pollTimeout <= 0 {
		t.pollTimeout = defaultPollTimeout
	}
	if t.pollTimeout < time.Second {
		// Telegram counts whole seconds; 0 would mean short polling, a busy loop.
		t.pollTimeout = time.Second
	}
	if t.httpClient == nil {
		// Keep a connection per worker alive: the default of 2 idle connections per host would
		// open and close one for nearly every reply under load.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 2 * maxWorkers
		t.httpClient = &http.Client{Timeout: t.pollTimeout + 15*time.Second, Transport: tr}
	}
	return t
}

// Prefix implements bot.Sender: the transport sends to the identities "<prefix>:…" ("tg:…").
func (t *Transport) Prefix() string { return t.prefix }

// ident is the identity of a chat or user of this bot.
func (t *Transport) ident(id int64) string { return bot.Ident(t.prefix, strconv.FormatInt(id, 10)) }

// BotName returns the bot's username (without "@"), for t.me deep links.
func (t *Transport) BotName() string { return t.name }

// Run receives updates until ctx is done: by long polling, or in webhook mode by registering the
// webhook and waiting. On the way out it stops taking updates, lets the ones in hand finish and
// send their replies, and returns nil; it returns an error only when the webhook cannot be set.
func (t *Transport) Run(ctx context.Context) error {
	t.bg.Add(1)
	go func() {
		defer t.bg.Done()
		t.setCommands(ctx)
	}()
	defer t.bg.Wait()
	if t.webhookURL != "" {
		return t.runWebhook(ctx)
	}
	return t.poll(ctx)
}

// setCommands publishes the command menu; a bot without it still works, so failure is logged.
func (t *Transport) setCommands(ctx context.Context) {
	cfg := tgbotapi.NewSetMyCommands(commands...)
	_, err := t.retry(ctx, "", true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(cfg)
	})
	if err != nil && ctx.Err() == nil {
		t.log.Warn("telegram: setMyCommands failed", "err", err)
	}
}
