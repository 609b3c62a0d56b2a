// Package transport is the kit the transports (bot/telegram, bot/zalo, bot/console) share, so
// none of them reaches into another: per-chat queues, backoff and a sleep that ends with its
// context, redaction of a token from errors and the webhook's method and secret check, text
// splitting under a platform's length measure, the panic-safe call of the Handler, reading a
// typed command, and numbered menus for platforms without buttons.
//
// It owns no platform: it never calls an API, never names Telegram or Zalo, and keeps no state
// beyond what one transport gives it.
package transport
