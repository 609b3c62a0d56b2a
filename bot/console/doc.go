// Package console is the terminal transport: the same dispatcher and flows, typed lines in and
// replies printed out, for trying the bot without any token. It shows choices listed under the
// message, or numbered inside it as Zalo does (Style "zalo", with bot/transport's menus), and
// saves attachments to a folder; its identities are "console:<who>" (Prefix, Ident).
//
// It never talks to a network and never imports another transport.
package console
