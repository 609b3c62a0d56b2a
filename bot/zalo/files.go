package zalo

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// FileStore keeps the files Files serves. With a shared store (storage.Store on Redis) any
// replica behind a load balancer serves a URL another replica handed out.
type FileStore interface {
	// PutFile keeps f under token for ttl; after that the token is unknown. It keeps nothing
	// and reports false when chat has been given perHour files in the last hour already.
	PutFile(ctx context.Context, chat, token string, f flows.File, ttl time.Duration, perHour int) (bool, error)
	// File returns the file under token; flows.ErrNotFound when unknown or expired.
	File(ctx context.Context, token string) (flows.File, error)
}

// Files serves rendered charts and spreadsheets at unguessable URLs that expire: Zalo's
// sendPhoto takes a URL, not bytes. Mount Handler at FilesPath on the bot's HTTP server.
type Files struct {
	// Base is the public URL of the bot's HTTP server ("https://bot.example.org").
	Base string
	// TTL is how long a URL works; 1 hour when zero.
	TTL time.Duration
	// Store keeps the files. Nil keeps them in this process's memory, bounded by MaxBytes and
	// expired by Now: enough for one replica (the demo, tests); a restart forgets them.
	Store FileStore
	// Now is the in-memory store's clock; time.Now when nil.
	Now func() time.Time
	// MaxBytes bounds the in-memory store; the oldest files go first. 64 MB when zero.
	MaxBytes int
	// MaxFile bounds one file's size; 20 MB when zero. Zalo wants small photos anyway, and a
	// spreadsheet of 10,000 units is about 1.3 MB.
	MaxFile int
	// PerHour bounds the files put for one chat in an hour; 20 when zero. With MaxFile it
	// bounds what one person can make the store hold.
	PerHour int
	// Logger receives failures to read a file; slog.Default() when nil.
	Logger *slog.Logger

	once sync.Once
	mem  *memFiles
}

// FilesPath is where Files' handler is mounted; a token and the file's name follow.
const FilesPath = "/files/"

// Errors of Put past its limits; the caller sends the file's text with a line saying why.
var (
	errFileTooBig = errors.New("file too big")
	errFileQuota  = errors.New("too many files this hour")
)

// Put keeps f for chat and returns the URL that serves it until TTL passes. It fails past
// MaxFile (errFileTooBig) or PerHour (errFileQuota), or when the store does; the caller then
// sends the file's text instead. Errors never hold the token, which is the file's only key.
func (s *Files) Put(ctx context.Context, chat string, f flows.File) (string, error) {
	if len(f.Data) > cmp.Or(s.MaxFile, 20<<20) {
		return "", fmt.Errorf("serve %s of %d bytes: %w", f.Name, len(f.Data), errFileTooBig)
	}
	b := make([]byte, 24) // 192 bits: not guessable, not enumerable
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // the kernel's randomness failing is not recoverable
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	ok, err := s.store().PutFile(ctx, chat, token, f, s.ttl(), cmp.Or(s.PerHour, 20))
	if err == nil && !ok {
		err = errFileQuota
	}
	if err != nil {
		return "", fmt.Errorf("serve %s: %w", f.Name, err)
	}
	return strings.TrimRight(s.Base, "/") + FilesPath + token + "/" + url.PathEscape(f.Name), nil
}

func (s *Files) store() FileStore {
	if s.Store != nil {
		return s.Store
	}
	s.once.Do(func() { s.mem = &memFiles{now: s.Now, max: s.MaxBytes} })
	return s.mem
}

func (s *Files) ttl() time.Duration {
	if s.TTL > 0 {
		return s.TTL
	}
	return time.Hour
}

// Handler serves GET FilesPath<token>/<name>; an unknown or expired token is 404, a store that
// cannot be read 503.
func (s *Files) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, FilesPath), "/")
		f, err := s.store().File(r.Context(), token)
		if errors.Is(err, flows.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			s.logger().Warn("zalo: file not served", "err", err)
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", f.MIME)
		w.Header().Set("Cache-Control", "private, no-store")
		if f.Kind == flows.Document {
			w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(f.Name)+`"`)
		}
		_, _ = w.Write(f.Data)
	})
}

func (s *Files) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// memFiles is the FileStore of one process: a map bounded in bytes, expired by its clock.
type memFiles struct {
	now func() time.Time
	max int

	mu    sync.Mutex
	files map[string]servedFile
	order []string // tokens, oldest first
	bytes int
	puts  map[string]putWindow // chat → its files in the current hour
}

// putWindow counts a chat's files in the hour that started with the first.
type putWindow struct {
	n   int
	end time.Time
}

// memPutChats is how many chats' counts memFiles keeps before it drops the finished ones.
const memPutChats = 4096

type servedFile struct {
	file    flows.File
	expires time.Time
}

var _ FileStore = (*memFiles)(nil)

// PutFile keeps f until ttl has passed on the store's clock, unless chat has had perHour
// files in the last hour.
func (m *memFiles) PutFile(_ context.Context, chat, token string, f flows.File, ttl time.Duration, perHour int) (bool, error) {
	now := m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.count(chat, now, perHour) {
		return false, nil
	}
	if m.files == nil {
		m.files = map[string]servedFile{}
	}
	m.files[token] = servedFile{file: f, expires: now.Add(ttl)}
	m.order = append(m.order, token)
	m.bytes += len(f.Data)
	m.prune(now)
	return true, nil
}

// count counts a put for chat and reports whether it is within perHour; m.mu is held.
func (m *memFiles) count(chat string, now time.Time, perHour int) bool {
	if m.puts == nil {
		m.puts = map[string]putWindow{}
	}
	if len(m.puts) >= memPutChats {
		for c, w := range m.puts {
			if !now.Before(w.end) {
				delete(m.puts, c)
			}
		}
	}
	w := m.puts[chat]
	if !now.Before(w.end) {
		w = putWindow{end: now.Add(time.Hour)}
	}
	w.n++
	m.puts[chat] = w
	return w.n <= perHour
}

// File returns the file under token while it has not expired.
func (m *memFiles) File(_ context.Context, token string) (flows.File, error) {
	now := m.clock()
	m.mu.Lock()
	f, ok := m.files[token]
	m.mu.Unlock()
	if !ok || !now.Before(f.expires) {
		return flows.File{}, flows.ErrNotFound
	}
	return f.file, nil
}

// prune drops expired files and, past max, the oldest ones. Files expire in the order they
// were put (one TTL for all), so the expired ones are at the front.
func (m *memFiles) prune(now time.Time) {
	limit := m.max
	if limit <= 0 {
		limit = 64 << 20
	}
	for len(m.order) > 1 {
		f, ok := m.files[m.order[0]]
		if ok && now.Before(f.expires) && m.bytes <= limit {
			return
		}
		m.bytes -= len(f.file.Data)
		delete(m.files, m.order[0])
		m.order = m.order[1:]
	}
}

func (m *memFiles) clock() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}
