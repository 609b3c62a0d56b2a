package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"danvan/flows"
)

// TelegramConfig configures the Telegram transport.
type TelegramConfig struct {
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
}

// ErrTelegramBlocked is returned (wrapped) when Telegram answers 403: the person blocked the bot
// or deleted their account. The person has been marked unreachable; retrying is pointless.
var ErrTelegramBlocked = errors.New("telegram: chat unreachable (blocked by the user)")

// Telegram is the Telegram transport: it turns Bot API updates into Incoming for the Handler
// and sends the Handler's replies back, by long polling or webhook.
type Telegram struct {
	api        *tgbotapi.BotAPI
	httpClient *http.Client
	token      string
	name       string
	handler    Handler
	unreach    Unreachables
	log        *slog.Logger

	webhookURL  string
	secret      string
	pollTimeout time.Duration

	// wait and backoff are fields so tests can observe waits without spending real time.
	wait    func(ctx context.Context, d time.Duration) error
	backoff func(attempt int) time.Duration

	// handleTimeout bounds one update's handling, so a stuck handler cannot block shutdown.
	handleTimeout time.Duration
	// maxRetryAfter is the longest 429 wait a send accepts; longer floods are given up.
	maxRetryAfter time.Duration
	sendAttempts  int

	queues *tgChatQueues
	bg     sync.WaitGroup
}

const (
	tgDefaultAPIURL      = "https://api.telegram.org"
	tgDefaultPollTimeout = 30 * time.Second
	tgMaxWorkers         = 32
	tgMaxMessage         = 4096
	tgMaxCallbackData    = 64
)

// tgAllowedUpdates keeps Telegram from sending kinds of update the bot ignores anyway.
var tgAllowedUpdates = []string{"message", "callback_query"}

// tgCommands is the menu Telegram shows next to the text box.
var tgCommands = []tgbotapi.BotCommand{
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
}

var tgSecretRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// NewTelegram checks the token with getMe and returns a transport ready to Run. h handles the
// updates; u (may be nil) learns who blocked the bot.
func NewTelegram(ctx context.Context, cfg TelegramConfig, h Handler, u Unreachables) (*Telegram, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: empty token")
	}
	if h == nil {
		return nil, errors.New("telegram: nil handler")
	}
	if cfg.WebhookURL != "" && !tgSecretRe.MatchString(cfg.WebhookSecret) {
		return nil, errors.New("telegram: webhook mode needs a secret of 1-256 characters A-Z a-z 0-9 _ -")
	}
	t := newTelegram(cfg, h, u)
	apiURL := cfg.APIURL
	if apiURL == "" {
		apiURL = tgDefaultAPIURL
	}
	// The endpoint is a Sprintf pattern: a literal % in the URL must not become a verb.
	endpoint := strings.ReplaceAll(strings.TrimRight(apiURL, "/"), "%", "%%") + "/bot%s/%s"
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, tgCtxDoer{ctx: ctx, c: t.httpClient})
	if err != nil {
		return nil, fmt.Errorf("telegram getMe: %w", t.redact(err))
	}
	api.Client = t.httpClient
	t.api = api
	t.name = api.Self.UserName
	return t, nil
}

// newTelegram fills in the defaults; it makes no request.
func newTelegram(cfg TelegramConfig, h Handler, u Unreachables) *Telegram {
	t := &Telegram{
		httpClient:    cfg.HTTPClient,
		token:         cfg.Token,
		handler:       h,
		unreach:       u,
		log:           cfg.Logger,
		webhookURL:    cfg.WebhookURL,
		secret:        cfg.WebhookSecret,
		pollTimeout:   cfg.PollTimeout,
		wait:          tgSleep,
		backoff:       tgBackoff,
		handleTimeout: 2 * time.Minute,
		maxRetryAfter: time.Minute,
		sendAttempts:  4,
		queues:        newTgChatQueues(tgMaxWorkers),
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	if t.pollTimeout <= 0 {
		t.pollTimeout = tgDefaultPollTimeout
	}
	if t.pollTimeout < time.Second {
		// Telegram counts whole seconds; 0 would mean short polling, a busy loop.
		t.pollTimeout = time.Second
	}
	if t.httpClient == nil {
		// Keep a connection per worker alive: the default of 2 idle connections per host would
		// open and close one for nearly every reply under load.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 2 * tgMaxWorkers
		t.httpClient = &http.Client{Timeout: t.pollTimeout + 15*time.Second, Transport: tr}
	}
	return t
}

// BotName returns the bot's username (without "@"), for t.me deep links.
func (t *Telegram) BotName() string { return t.name }

// Run receives updates until ctx is done: by long polling, or in webhook mode by registering the
// webhook and waiting. On the way out it stops taking updates, lets the ones in hand finish and
// send their replies, and returns nil; it returns an error only when the webhook cannot be set.
func (t *Telegram) Run(ctx context.Context) error {
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
func (t *Telegram) setCommands(ctx context.Context) {
	cfg := tgbotapi.NewSetMyCommands(tgCommands...)
	_, err := t.retry(ctx, "", true, func(api *tgbotapi.BotAPI) (*tgbotapi.APIResponse, error) {
		return api.Request(cfg)
	})
	if err != nil && ctx.Err() == nil {
		t.log.Warn("telegram: setMyCommands failed", "err", err)
	}
}

// client returns the API bound to ctx. tgbotapi v5.5.1 takes no context, so cancellation
// reaches the HTTP request through a shallow copy whose client attaches ctx.
func (t *Telegram) client(ctx context.Context) *tgbotapi.BotAPI {
	api := *t.api
	api.Client = tgCtxDoer{ctx: ctx, c: t.httpClient}
	return &api
}

// tgCtxDoer makes every request it sends carry ctx.
type tgCtxDoer struct {
	ctx context.Context
	c   *http.Client
}

// Do sends req under the doer's context.
func (d tgCtxDoer) Do(req *http.Request) (*http.Response, error) {
	return d.c.Do(req.WithContext(d.ctx))
}

// retry calls fn, waiting out 429 retry_after; idempotent calls also retry network errors with
// backoff. A 403 on a call for a chat marks it unreachable and returns ErrTelegramBlocked.
// Errors come back redacted of the token.
func (t *Telegram) retry(ctx context.Context, chat string, idempotent bool,
	fn func(*tgbotapi.BotAPI) (*tgbotapi.APIResponse, error)) (*tgbotapi.APIResponse, error) {
	for attempt := 0; ; attempt++ {
		resp, err := fn(t.client(ctx))
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		apiErr, isAPI := tgAPIError(err)
		if isAPI && apiErr.Code == http.StatusForbidden && chat != "" {
			t.markUnreachable(ctx, chat)
			return nil, fmt.Errorf("%w: %s", ErrTelegramBlocked, apiErr.Message)
		}
		d, again := t.retryDelay(err, attempt, idempotent)
		if !again || attempt+1 >= t.sendAttempts {
			return nil, t.redact(err)
		}
		if err := t.wait(ctx, d); err != nil {
			return nil, err
		}
	}
}

// retryDelay tells whether err is worth retrying and after how long.
func (t *Telegram) retryDelay(err error, attempt int, idempotent bool) (time.Duration, bool) {
	apiErr, isAPI := tgAPIError(err)
	switch {
	case isAPI && apiErr.RetryAfter > 0:
		d := time.Duration(apiErr.RetryAfter) * time.Second
		return d, d <= t.maxRetryAfter
	case isAPI && apiErr.Code == http.StatusTooManyRequests:
		return t.backoff(attempt), true
	case isAPI && apiErr.Code < 500:
		return 0, false // the request itself is wrong; it will fail again
	default:
		// A network error may hide a request that did arrive: only repeat what is safe to repeat.
		return t.backoff(attempt), idempotent
	}
}

// markUnreachable records that chat blocked the bot; a failure is only logged, the send has
// failed anyway.
func (t *Telegram) markUnreachable(ctx context.Context, chat string) {
	if t.unreach == nil || chat == "" {
		return
	}
	if err := t.unreach.MarkUnreachable(ctx, chat); err != nil {
		t.log.Error("telegram: mark unreachable failed", "chat", chat, "err", t.redact(err))
	}
}

// tgAPIError finds the Bot API error in err. The library returns *tgbotapi.Error, but Error has a
// value receiver, so a value may turn up too.
func tgAPIError(err error) (tgbotapi.Error, bool) {
	var p *tgbotapi.Error
	if errors.As(err, &p) && p != nil {
		return *p, true
	}
	var v tgbotapi.Error
	if errors.As(err, &v) {
		return v, true
	}
	return tgbotapi.Error{}, false
}

// tgRedactedError hides the token: the library's network errors quote the request URL, which
// contains it.
type tgRedactedError struct {
	msg string
	err error
}

// Error is the message with the token replaced.
func (e *tgRedactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is/As working through the redaction.
func (e *tgRedactedError) Unwrap() error { return e.err }

// redact returns err with every occurrence of the token replaced by "<token>".
func (t *Telegram) redact(err error) error {
	if err == nil || t.token == "" {
		return err
	}
	msg := err.Error()
	clean := strings.ReplaceAll(msg, t.token, "<token>")
	clean = strings.ReplaceAll(clean, url.PathEscape(t.token), "<token>")
	if clean == msg {
		return err
	}
	return &tgRedactedError{msg: clean, err: err}
}

// tgSleep waits d or until ctx is done.
func tgSleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tgBackoff doubles from 1s to 30s; the jitter (half to all of it) keeps replicas that failed
// together from retrying together.
func tgBackoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 5)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

// tgUpdate is one update reduced to what handling and replying need.
type tgUpdate struct {
	updateID   int
	in         Incoming
	chatID     int64
	messageID  int    // the message a pressed button sits under
	callbackID string // set for a button press, which must always be answered
	// inline, in webhook mode, takes the callback's answer to the webhook's HTTP response,
	// which saves a Bot API call on every press.
	inline *tgInline
}

// convert turns an update into Incoming. It reports false for what the bot ignores: edited
// messages, channel posts, service messages, commands addressed to another bot.
func (t *Telegram) convert(u tgbotapi.Update) (tgUpdate, bool) {
	j := tgUpdate{updateID: u.UpdateID}
	j.in.UpdateID = "tg:" + strconv.Itoa(u.UpdateID)
	switch {
	case u.CallbackQuery != nil:
		return t.convertCallback(j, u.CallbackQuery), true
	case u.Message != nil:
		return t.convertMessage(j, u.Message)
	}
	return j, false
}

// convertCallback fills j from a button press. A press with no message (inline mode, which the
// bot does not use) keeps an empty Chat: it is answered and otherwise ignored.
func (t *Telegram) convertCallback(j tgUpdate, q *tgbotapi.CallbackQuery) tgUpdate {
	j.callbackID = q.ID
	if q.Message == nil || q.Message.Chat == nil || q.From == nil || !q.Message.Chat.IsPrivate() {
		return j
	}
	j.chatID, j.messageID = q.Message.Chat.ID, q.Message.MessageID
	j.in.Chat = tgIdent(q.Message.Chat.ID)
	j.in.User = tgIdent(q.From.ID)
	j.in.Name = tgName(q.From)
	j.in.Input = flows.Input{Kind: flows.ButtonInput, Data: q.Data}
	return j
}

// convertMessage fills j from a new message.
func (t *Telegram) convertMessage(j tgUpdate, m *tgbotapi.Message) (tgUpdate, bool) {
	// Reports are personal: in a group one member could answer another's form, so the bot
	// talks in private chats only.
	if m.Chat == nil || m.From == nil || m.From.IsBot || !m.Chat.IsPrivate() {
		return j, false
	}
	j.chatID = m.Chat.ID
	j.in.Chat = tgIdent(m.Chat.ID)
	j.in.User = tgIdent(m.From.ID)
	j.in.Name = tgName(m.From)
	switch {
	case strings.HasPrefix(m.Text, "/") && len(strings.Fields(m.Text)[0]) > 1:
		in, mine := t.command(m.Text)
		j.in.Input = in
		return j, mine
	case m.Text != "":
		j.in.Input = flows.Input{Kind: flows.TextInput, Text: m.Text}
	case tgIsMedia(m):
		j.in.Input = flows.Input{Kind: flows.MediaInput, Text: m.Caption}
	default:
		return j, false // joins, pins, title changes…
	}
	return j, true
}

// command parses "/Report@bot args"; it reports false when the command names another bot.
func (t *Telegram) command(text string) (flows.Input, bool) {
	head, args := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		head, args = text[:i], text[i:]
	}
	cmd, target, addressed := strings.Cut(head[1:], "@")
	if addressed && t.name != "" && !strings.EqualFold(target, t.name) {
		return flows.Input{}, false
	}
	return flows.Input{
		Kind:    flows.CommandInput,
		Command: strings.ToLower(cmd),
		Args:    strings.TrimSpace(args),
	}, true
}

// tgIsMedia tells whether m carries something other than text that a person sent.
func tgIsMedia(m *tgbotapi.Message) bool {
	return len(m.Photo) > 0 || m.Sticker != nil || m.Voice != nil || m.Document != nil ||
		m.Video != nil || m.VideoNote != nil || m.Audio != nil || m.Animation != nil ||
		m.Location != nil || m.Venue != nil || m.Contact != nil || m.Poll != nil ||
		m.Dice != nil || m.Game != nil
}

// tgIdent is the platform-qualified identity of a Telegram chat or user.
func tgIdent(id int64) string { return "tg:" + strconv.FormatInt(id, 10) }

// tgName is the display name: first and last name, else the username.
func tgName(u *tgbotapi.User) string {
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	return u.UserName
}
