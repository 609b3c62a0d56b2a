package bot

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"danvan/flows"
)

// ZaloFiles serves rendered charts and spreadsheets from memory at unguessable URLs that expire:
// Zalo's sendPhoto takes a URL, not bytes. Mount Handler at FilesPath on the bot's HTTP server.
//
// Files live in the memory of the process that made them: behind a load balancer the path
// FilesPath must reach that replica (or the files go to a shared store), and a restart forgets
// them — the person asks for the figures again.
type ZaloFiles struct {
	// Base is the public URL of the bot's HTTP server ("https://bot.example.org").
	Base string
	// TTL is how long a URL works; 1 hour when zero.
	TTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// MaxBytes bounds the memory held; the oldest files go first. 64 MB when zero.
	MaxBytes int

	mu    sync.Mutex
	files map[string]servedFile
	order []string // tokens, oldest first
	bytes int
}

// FilesPath is where ZaloFiles' handler is mounted; a token and the file's name follow.
const FilesPath = "/files/"

type servedFile struct {
	file    flows.File
	expires time.Time
}

// Put keeps f and returns the URL that serves it until TTL passes.
func (s *ZaloFiles) Put(f flows.File) string {
	b := make([]byte, 24) // 192 bits: not guessable, not enumerable
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // the kernel's randomness failing is not recoverable
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string]servedFile{}
	}
	s.files[token] = servedFile{file: f, expires: now.Add(s.ttl())}
	s.order = append(s.order, token)
	s.bytes += len(f.Data)
	s.prune(now)
	return strings.TrimRight(s.Base, "/") + FilesPath + token + "/" + url.PathEscape(f.Name)
}

// prune drops expired files and, past MaxBytes, the oldest ones. Files expire in the order they
// were put, so the expired ones are at the front.
func (s *ZaloFiles) prune(now time.Time) {
	limit := s.MaxBytes
	if limit <= 0 {
		limit = 64 << 20
	}
	for len(s.order) > 1 {
		f, ok := s.files[s.order[0]]
		if ok && now.Before(f.expires) && s.bytes <= limit {
			return
		}
		s.bytes -= len(f.file.Data)
		delete(s.files, s.order[0])
		s.order = s.order[1:]
	}
}

func (s *ZaloFiles) ttl() time.Duration {
	if s.TTL > 0 {
		return s.TTL
	}
	return time.Hour
}

func (s *ZaloFiles) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler serves GET FilesPath<token>/<name>; an unknown or expired token is 404.
func (s *ZaloFiles) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, FilesPath), "/")
		s.mu.Lock()
		f, ok := s.files[token]
		s.mu.Unlock()
		if !ok || !s.now().Before(f.expires) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.file.MIME)
		w.Header().Set("Cache-Control", "private, no-store")
		if f.file.Kind == flows.Document {
			w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(f.file.Name)+`"`)
		}
		_, _ = w.Write(f.file.Data)
	})
}
