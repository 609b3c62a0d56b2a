// Package flows is the conversation engine of Dân vận bot: forms, questions, validation, number
// parsing, the texts people read (in Vietnamese and English), and the rules every other package
// asks rather than repeats. It owns who may see what (CanSee, CanLead, Homes and Narrow, all on
// one set of grants in scope.go), the one evaluation of an indicator over a tally (Evaluate,
// with its target written by TargetText) and the adding up of tallies (Tally.Add).
//
// It is pure. Step takes a chat's State, what the person typed or pressed, the facts the caller
// loaded for it (an Env) and the time, and returns the next State, the Replies to show and the
// Effects to make durable. It never sends, stores or reads the clock, and it imports no other
// package of this module, so every other package speaks its types. It names no platform
// either: the host hands in the channels it runs (Env.Channels).
package flows
