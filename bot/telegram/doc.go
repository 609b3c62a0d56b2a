// Package telegram is the Telegram transport: it turns Bot API updates into bot.Incoming for a
// bot.Handler and sends the replies back as messages with inline keyboards, edits, photos and
// documents, through go-telegram-bot-api v5 pointed at a configurable endpoint. It owns long
// polling (its own loop: no chat waits for another, and the offset confirmed is the lowest
// update not finished), the webhook (secret
// checked in constant time, a press answered in the HTTP response), 429 retry_after, and the
// identities "tg:<id>" (Prefix, Ident). A 403 marks the person unreachable (bot.Unreachables)
// and its error wraps bot.ErrUnreachable.
//
// It never decides what to answer (the Handler does), never stores anything itself, never
// imports another transport, and never logs or returns its token.
package telegram
