// Package metrics is what operators watch of a running bot: the Prometheus metrics
// (prometheus/client_golang, on a registry of its own), /healthz, and /readyz, which asks Redis
// and reads the transports' last calls to their platforms.
//
// It implements the observer ports the other packages declare (bot.Observer, telegram.Observer,
// zalo.Observer, reminders.Observer) and a go-redis hook, without importing any of them: main
// wires it, and asserts that it fits. Those packages never import Prometheus; a nil observer
// there means no metrics, which is how their own tests and the demo run.
//
// No label ever carries a person's name or id, a chat, a unit or a message's text: channels,
// kinds of input, outcomes, causes and reminder steps only, each a handful of values.
package metrics
