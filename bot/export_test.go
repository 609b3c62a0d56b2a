package bot

// DropCached forgets chat's cached snapshot, as a process that never saw the chat: the
// benchmarks of package bot_test measure a chat's first update with it.
func DropCached(d *Dispatcher, chat string) { d.cache.drop(chat) }

// WrongCodes and CodeTries are the limits on invite codes, for tests that reach them.
const (
	WrongCodes = wrongCodes
	CodeTries  = codeTries
)

// SnapshotIdle is how long a chat's snapshot may stay unused before it goes.
const SnapshotIdle = snapshotIdle

// Cached reports whether d keeps a snapshot of chat.
func Cached(d *Dispatcher, chat string) bool {
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	_, ok := d.cache.m[chat]
	return ok
}

// CachedChats is how many chats d keeps a snapshot of.
func CachedChats(d *Dispatcher) int {
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	return len(d.cache.m)
}
