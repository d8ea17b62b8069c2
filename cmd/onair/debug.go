package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/wirelog"
)

// declareDebug declares --debug, which every command has.
func declareDebug(fs *flag.FlagSet) {
	fs.Bool("debug", false, "print each HTTP exchange with the provider (API calls and token requests)\nto standard error, without tokens, codes or secrets")
}

// debugging reports whether fs, parsed, has --debug set.
func debugging(fs *flag.FlagSet) bool {
	f := fs.Lookup("debug")
	return f != nil && f.Value.String() == "true"
}

// debugContext returns ctx whose clients, token sources and token
// requests log their exchanges to stderr at debug level. The handler's
// ReplaceAttr redacts a token or a secret-named string logged by mistake.
func (a *app) debugContext(ctx context.Context) context.Context {
	l := slog.New(slog.NewTextHandler(a.stderr.w, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: auth.ReplaceAttr}))
	return wirelog.TokenContext(wirelog.NewContext(ctx, l), l)
}
