// Package storage keeps everything Dân vận bot must remember in Redis (go-redis v9): chat
// sessions, drafts, submissions and their history (returns for correction included, written
// answers too), the "who has submitted" index, the "Dân vận khéo" register, the leaders'
// aggregates (tallies), people, their platform identities and each unit's organisers, invite
// codes, the wrong-code throttle, update de-duplication, and what the Zalo transport shares
// between replicas (served files, each chat's last choices, the webhook's inbox, the month's
// count of messages sent: zinbox.go, zusage.go). It works on one Redis, on Sentinel and on
// Cluster through redis.UniversalClient.
//
// It decides nothing: what to write is what flows said (the Effects it applies, a submission's
// flows.Contribution to the tallies). It never sends a message, never reads the clock (callers
// pass the time) and never logs.
//
// # Key schema
//
// Every key starts with the Store's prefix P (for example "danvan:"); the prefix must not contain
// '{' or '}', or it would become the Cluster hash tag of every key. Values are JSON unless said
// otherwise. In the unit keys, <unit>, <period> and <form> are escaped ('%', ':', '{', '}' become
// %25, %3A, %7B, %7D) so the parts of a key can never run into each other; the last part of a
// key (a person, chat, ident or code) needs no escaping.
//
// The keys of one unit share the hash tag {u:<unit>}, so they live in one Cluster slot and one
// Lua script can write them all at once. Drafts, submissions and their history hold the written
// answers of text questions too (flows.Draft.Texts and Typing, flows.Submission.Texts,
// HistoryEntry.Texts and Edited); records written before those fields read with none:
//
//	P{u:<unit>}:draft:<period>:<form>:<person>  flows.Draft; lives until Draft.Until (its period
//	                                            closes); a submission empties it, keeping its version
//	P{u:<unit>}:sub:<period>:<form>             flows.Submission, the current version
//	P{u:<unit>}:hist:<period>:<form>            list of HistoryEntry, oldest first (RPUSH); a
//	                                            return is an entry of its own (Returned set)
//	P{u:<unit>}:submitted                       hash "<period>:<form>" → current version (integer);
//	                                            a returned report has no field until resubmitted
//	P{u:<unit>}:people                          set of the ids of the unit's organisers (Link)
//	P{u:<unit>}:models                          hash "<id>" → flows.Model: the unit's "Dân vận
//	                                            khéo" register (SaveModel, Models); no TTL. A
//	                                            write states the version it replaces (field "v"
//	                                            of the JSON), 0 for a new id; it does not move
//	                                            the unit's stamp: every step reads the register
//	                                            afresh (flows.Want.Models)
//	P{u:<unit>}:stamp                           integer, no TTL: counts the writes of the unit's
//	                                            drafts, submissions and returns (flows.Stamps),
//	                                            moved by the script or transaction that writes
//
// The tallies of one period share the hash tag {t:<period>}, so on Cluster they sit in one slot:
// one script moves all those a write touches, and a figures view reads one node per period. <node>,
// <org>, <form> and <unit> are escaped like the unit keys; <org> is "*" for flows.AllOrgs. They
// come in generations (see "Tally generations" below); G is the prefix of generation n's keys,
// P{t:<period>}:g<n>:, or P{t:<period>}: for generation 0, the tallies kept before generations.
//
//	P{t:<period>}:gen                           the current generation n; none: generation 0 when
//	                                            P{t:<period>}:tallies exists, else nothing counted
//	P{t:<period>}:gens                          integer, the last generation number given out
//	P{t:<period>}:fp                            the fingerprint (model, due time, forms) the current
//	                                            generation was counted with; a writer of another
//	                                            model deletes it, so the next start recounts
//	P{t:<period>}:build                         hash of the recount building the next generation:
//	                                            owner, gen, fp, until (lease end, server ms),
//	                                            cursor (units counted), tainted
//	P{t:<period>}:trash                         set of generation numbers to delete
//	G tally:<node>:<org>:<form>                 hash of integers, one flows.Tally: "n" reported,
//	                                            "late", "ret" returned, "s:<question>" sums,
//	                                            "m:<indicator>" units meeting a count target; a
//	                                            field back at 0 is deleted, a missing one reads 0
//	G tallies                                   set of the generation's tally key names
//	G state                                     hash "<unit>:<form>" → 2·rank + late of the report's
//	                                            latest state counted (rankOf: nothing 0, version v
//	                                            2v, returned 2v+1): Status reads it
//	G layout                                    the order of units (a fingerprint of the directory's
//	                                            unit list) the generation's status bytes follow
//	G bits:<form>                               string, a byte per unit at its place in that order:
//	                                            1 in, 2 late (Status reads them all in one command)
//	G seen                                      hash "<unit>:<form>" → the rank a recount read and
//	                                            counted; a write to a rank at or below it is in
//	G pend                                      while building: hash "<unit>:<form>" → the highest
//	                                            rank written before the recount counted the report
//	P{t:<period>}:applied:<unit>:<form>:<version>:<sub|ret>
//	                                            "1" once the tally change of that version's
//	                                            submission (sub) or return (ret) has been applied;
//	                                            Cluster only; TTL AppliedTTL (400 days)
//
// A unit's report counts in the tallies of every place above the unit (not the unit itself), for
// the unit's organisation and for "*". The Store learns the directory, calendar and indicators
// from UseModel; without it, or for a unit the directory does not know, no tally moves.
//
// The other keys stand alone, one slot each:
//
//	P session:<chat>    flows.State; TTL SessionTTL, refreshed on every save
//	P ident:<ident>     the person id (plain string) a platform identity ("tg:12345") is linked to
//	P person:<id>       flows.Person (Admin is never stored)
//	P{P person:<id>}:stamp
//	                    integer, no TTL: counts the writes of P person:<id> (flows.Stamps), in
//	                    the same transaction; its hash tag is the record's key, so one slot
//	P invite:<code>     flows.Invite, plus "holder": the identity that began redeeming it, which
//	                    alone may finish (Redeem, Redeemed); lives Expires − Created (the bot
//	                    checks Expires itself); <code> is upper case
//	P linkcode:<person> the one live /lienket code of a person; a new one deletes the old invite
//	P fail:<chat>       integer count of a chat's tries at invite codes; expires one window after
//	                    the first; P fail:* counts wrong codes from every chat (the global limit)
//	P update:<id>       "1" while an update id is claimed (de-duplication); expires after ttl
//	P file:<token>      hash of a chart or spreadsheet served to Zalo by URL: "name", "kind",
//	                    "mime", "data" (the bytes); TTL the URL's life (PutFile)
//	P fput:<chat>       integer count of the files put for a Zalo chat; expires one hour after
//	                    the first (PutFile refuses more than its limit meanwhile)
//	P zmenus:<chat>     list of a Zalo chat's numbered choices, one segment per message that
//	                    offered any, oldest first; each opaque to the store (the bot's JSON of
//	                    the message's buttons and Free flag); at most MenuSegments; TTL
//	                    AddMenu's, 24h in the bot, refreshed by every add. (Before lists, a
//	                    string P zmenu:<chat> held one menu; migration 1 deletes them.)
//	P meta:schema       integer, the key schema: the last migration applied (migrate.go);
//	                    none means 0
//
// How long each key lives is gathered in retention.go; Dump and Restore (backup.go) copy every
// key under P out and back.
// (The space after P above is for reading only: the real key is "danvan:session:tg:1".)
//
// # Atomicity
//
// Versioned writes (SaveSession, SaveDraft, Submit, ReturnSubmission, SaveModel) run as Lua scripts, so the
// version check and the write happen in one step on the server, with no retry loop and one round
// trip. A Submit script writes the unit's current submission, its history, its index and the
// submitter's draft together, and only if that draft is still the one the figures came from; a
// return script marks the submission returned, appends to its history and drops it from the
// index. The tally change (contribution of the new version − that of the old, flows.Contribution)
// is worked out in Go from the old version; the script checks that version is still stored, and
// still returned or not as the step saw it, so the change can never describe a write that lost a
// race. On one Redis or Sentinel the same script applies it, so a submission and its tallies are
// one atomic step. On Cluster the tallies sit in another slot: the unit's script runs first and
// the tally script right after, so for a moment a reader may see the submission without its
// tallies, and a failure in between (reported as an error) leaves the tallies off until a
// recount (the period's fingerprint is dropped, so the next start does one).
// go-redis sends a script again after a read timeout or network error, so a tally script whose
// first run went through but whose reply was lost runs twice: it first sets the write's marker
// (P{t:<period>}:applied:…, SET NX) in the tallies' slot and moves nothing if the marker was
// already there, so each submission or return counts once.
//
// # Tally generations
//
// A recount (Recount at start, Rebuild) never replaces tallies in place, and never holds Redis
// up: it counts a new generation of a period's tallies beside the current one, in chunks of
// units (one short script each), and makes it current by moving the generation pointer in one
// step. Readers read the current generation only: Tallies and Status run one script per period
// that reads the pointer and the keys together, so a reader sees the old generation or the new
// one, never half of one. The recount claims the period's build with a lease (one process
// recounts; the others starting at once skip it), keeps a cursor (a recount cut short by a crash
// is finished by the next process that starts), and stores the fingerprint of what it counted
// with (directory, indicators, due time, forms): a start with the same fingerprint has nothing
// to do. The generation it replaced is deleted afterwards, a batch of keys at a time.
//
// Writes go on during a recount, and each counts exactly once in the new generation. Every
// report's states are ranked (rankOf), each write moving it to a higher rank. The recount
// records in the new generation the rank it read and counted of every report ("seen"), and a
// write applies its change to a generation only if that generation has not counted the rank it
// writes (in either order on Cluster, where two writes' tally scripts may arrive out of order
// or late: a late one whose state a recount already read moves nothing there). A write to a
// report the recount has not reached yet moves only the current generation and leaves its rank
// in "pend": if the recount read the report before that write, its chunk finds pend above the
// rank read, counts nothing, and the recount reads the report again. A writer whose model
// differs from the build's taints it, so its fingerprint is not stored and the next start
// recounts.
//
// Commit, on one Redis or Sentinel, saves an answer's draft and the chat's session in one script,
// checking in the same step that the stamps of what the step read have not moved (several slots,
// so not on Cluster, where it reads the session and the stamps first, then writes the draft and
// the session one after the other). The version is read from the stored JSON with cjson, which
// every Redis since 2.6 ships. MarkUnreachable, which
// edits a person record without a version, uses WATCH/MULTI instead. Apply runs effects in order;
// each is atomic on its own, but a failure leaves the effects before it applied. Link writes a
// person, its units' organiser indexes and an identity that live on different slots, in that
// order (see Link).
//
// AddMenu appends a Zalo chat's menu segment and reads back the segments up to it in one
// script, so messages pushed to one chat at once, from any replicas, number their options apart.
//
// Redis 7.0 or later is needed (MinRedis; CheckRedis refuses an older one at start): the tally
// scripts reach keys of their period's slot they derive from the generation pointer; Failure and
// PutFile use EXPIRE NX and Claim SET NX GET (7.0); Redeem uses GETDEL (6.2).
package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"danvan/flows"
)

// Store implements the dispatcher's storage interfaces (bot.Sessions, bot.Reports, bot.People,
// bot.Invites, bot.Guard, bot.Unreachables, zalo.FileStore, zalo.MenuStore, zalo.Inbox,
// zalo.SentCounter) on Redis. It is safe
// for concurrent use, also by several processes on one Redis.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	// cluster is set on Redis Cluster, where a script may only touch one slot: Commit then
	// writes the draft and the session one after the other instead of in one script.
	cluster bool
	// idents caches identity → person id. A link never changes once made (a second platform
	// links a new identity to the same id), so the cache needs no invalidation; it saves a
	// round trip on every load.
	idents sync.Map
	// batch pipelines the commands of the hot path (answers, loads) across concurrent updates.
	batch *batcher
	// model is what the tallies follow (UseModel); nil keeps none.
	model atomic.Pointer[tallyModel]
	// chunk and lease are a recount's chunk size and lease (recountChunk, recountLease);
	// tests make them small.
	chunk int
	lease time.Duration
}

// New returns a Store on rdb with every key under prefix. The Store owns rdb from now on: Close
// closes it.
func New(rdb redis.UniversalClient, prefix string) *Store {
	_, cluster := rdb.(*redis.ClusterClient)
	return &Store{rdb: rdb, prefix: prefix, cluster: cluster, batch: newBatcher(rdb), chunk: recountChunk, lease: recountLease}
}

// Close closes the Redis client.
func (s *Store) Close() error {
	s.batch.close()
	return s.rdb.Close()
}

// keyEscaper keeps the parts of a unit key apart: no part may carry the separator or a brace that
// would move the hash tag.
var keyEscaper = strings.NewReplacer("%", "%25", ":", "%3A", "{", "%7B", "}", "%7D")

var keyUnescaper = strings.NewReplacer("%25", "%", "%3A", ":", "%7B", "{", "%7D", "}")

func esc(s string) string { return keyEscaper.Replace(s) }

// unitKey returns the key of one unit's record; all of them share the unit's hash tag.
func (s *Store) unitKey(unit, kind string, parts ...string) string {
	var b strings.Builder
	b.WriteString(s.prefix + "{u:" + esc(unit) + "}:" + kind)
	for _, p := range parts {
		b.WriteString(":" + p)
	}
	return b.String()
}

func (s *Store) draftKey(k flows.Key, person string) string {
	return s.unitKey(k.Unit, "draft", esc(k.Period), esc(k.Form), person)
}

func (s *Store) subKey(k flows.Key) string {
	return s.unitKey(k.Unit, "sub", esc(k.Period), esc(k.Form))
}

func (s *Store) histKey(k flows.Key) string {
	return s.unitKey(k.Unit, "hist", esc(k.Period), esc(k.Form))
}

func (s *Store) indexKey(unit string) string { return s.unitKey(unit, "submitted") }

// indexField names a report in its unit's "who has submitted" hash.
func indexField(period, form string) string { return esc(period) + ":" + esc(form) }

func (s *Store) key(kind, id string) string { return s.prefix + kind + ":" + id }

// getJSON loads key into v; redis.Nil comes back unwrapped for the caller to interpret.
func (s *Store) getJSON(ctx context.Context, key string, v any) error {
	b, err := s.rdb.Get(ctx, key).Bytes()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}
