package bot

// DropCached forgets chat's cached snapshot, as a process that never saw the chat: the
// benchmarks of package bot_test measure a chat's first update with it.
func DropCached(d *Dispatcher, chat string) { d.cache.drop(chat) }

// WrongCodes and CodeTries are the limits on invite codes, for tests that reach them.
const (
	WrongCodes = wrongCodes
	CodeTries  = codeTries
)
