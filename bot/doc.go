// Package bot is the dispatcher: it carries conversations between people and the flows engine.
// It owns the channel-neutral message types (Incoming, Handler), the Dispatcher that loads what
// a step needs, runs it, stores its effects and returns its replies (one writer per chat,
// de-duplicated updates, versioned writes, a snapshot cache), invite redemption and identity
// linking, the Router that reaches a person on the channel they prefer, and the ports
// (interfaces) it consumes: the store, the files, the reminders, and the Observer the
// operators' metrics implement (nil: none).
//
// It never speaks a platform's protocol: Telegram, Zalo and the console are transports in
// bot/telegram, bot/zalo and bot/console, which import this package and never each other. It
// never reads the configuration (main hands it Settings) and never logs a token.
package bot
