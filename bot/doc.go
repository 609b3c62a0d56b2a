// Package bot carries conversations between people and the flows engine: channel-neutral
// incoming messages, the Dispatcher that loads state, runs a step and stores its effects, and the
// transports (Telegram, console) that turn platform updates into Incoming and Replies into
// platform messages.
package bot
