// Package zalo is the Zalo Bot Platform transport: a small client of the API (JSON POST to
// <base>/bot<token>/<method>), getUpdates or the webhook (header X-Bot-Api-Secret-Token), and
// the identities "zalo:<id>" (Prefix, Ident). Zalo has no buttons, so it shows a reply's
// choices as numbered options (bot/transport's menus) and keeps each chat's menu in a MenuStore
// to read a typed number back; charts and spreadsheets go by URL from Files, its file server,
// which keeps them in a FileStore. The webhook keeps what it acknowledges in an Inbox until it
// is handled, and every message sent is counted in a SentCounter against the plan's monthly
// quota. These interfaces are declared here, where they are consumed.
//
// It never decides what to answer (the Handler does), never imports another transport, and
// never logs or returns its token or a file's token.
package zalo
