package main

import (
	"net/http"
	"time"

	"danvan/bot/transport"
)

// httpLimits bound what one client can hold of the bot's HTTP server (webhooks, files, health):
// anyone who reaches LISTEN_ADDR could otherwise keep connections open for ever and run the
// process out of file descriptors.
type httpLimits struct {
	ReadHeader time.Duration // to send the request's headers
	Read       time.Duration // to send the whole request, body included
	Write      time.Duration // from the headers read to the response written: handling included
	Idle       time.Duration // a kept-alive connection waiting for its next request
	MaxHeader  int           // bytes of request headers
	MaxBody    int64         // bytes of a request body, for every handler
}

// serverLimits are the bot's. A webhook request answers only once its update is handled, so
// Write exceeds the transports' bound on handling; reading never waits for handling (the server
// stops its read deadline once the body is read). Real requests are a few kilobytes: Telegram's
// and Zalo's updates, a GET for a file.
var serverLimits = httpLimits{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      transport.MaxHandling + 30*time.Second,
	Idle:       time.Minute,
	MaxHeader:  64 << 10,
	MaxBody:    1 << 20,
}

// newServer is the HTTP server of h on addr, within l.
func newServer(addr string, h http.Handler, l httpLimits) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           http.MaxBytesHandler(h, l.MaxBody),
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.MaxHeader,
	}
}
