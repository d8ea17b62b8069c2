package wirelog_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// An exchange is logged once by a logger, however many of its hooks and
// transports it crosses: onair --debug puts a logged transport in the
// context, and a command (the demo) builds its own transport over it and
// gives its clients WithLogger and its token requests TokenContext too.
func TestExchangeLoggedOnce(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivestormIdentityRead)
	var out bytes.Buffer
	l := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// A transport of the command's own (a recorder) over the logged one.
	own := roundTrip(wirelog.Transport(l, nil).RoundTrip)
	ctx := wirelog.TokenContext(t.Context(), l)
	c, err := livestorm.NewClient(srv.Config().TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL),
		livestorm.WithHTTPClient(&http.Client{Transport: wirelog.Transport(l, own)}), livestorm.WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Identity.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), `msg="onair: HTTP exchange"`); n != 1 {
		t.Errorf("one request logged %d times:\n%s", n, out.String())
	}
}
