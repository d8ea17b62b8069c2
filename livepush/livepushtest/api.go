package livepushtest

import (
	"crypto/rand"
	"net/http"
	"sync"
	"time"

	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

// api is Livepush's REST API over an in-memory store that belongs to one
// user, the seeded account. Lists are bare arrays: Livepush pages nothing.
// The handler holds mu while an operation runs.
type api struct {
	mu            sync.Mutex
	account       server.Account
	subscriptions table.Table[server.Subscription]
	invoices      table.Table[server.Invoice]
	regions       table.Table[server.Region]
	streams       table.Table[server.Stream]      // Destinations empty: they live in dests
	dests         table.Table[server.Destination] // by table.Child(streamID, destinationID)
	saved         table.Table[server.Destination] // the account's saved destinations
	videos        table.Table[server.Video]       // by table.Child(streamID, videoID)
	recordings    table.Table[server.Recording]
	inspections   table.Table[server.VideoMetadata]
	imports       table.Table[server.VideoImport]
	teams         table.Table[server.Team]
}

// newAPI returns a fresh store holding the seed data.
func newAPI() *api {
	a := &api{}
	a.seed()
	return a
}

// handler serves the API, answering malformed requests in Livepush's
// error shape.
func (a *api) handler() http.Handler {
	malformed := func(w http.ResponseWriter, _ *http.Request, err error) {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
	}
	serialized := []server.StrictMiddlewareFunc{table.Serialize[server.StrictHandlerFunc](&a.mu)}
	strict := server.NewStrictHandlerWithOptions(a, serialized, server.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  malformed,
		ResponseErrorHandlerFunc: respondError,
	})
	return server.HandlerWithOptions(strict, server.StdHTTPServerOptions{ErrorHandlerFunc: malformed})
}

const idChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns prefix and n random letters and digits, the shape of
// Livepush's ids (st_4kX9mQ2pL7vRz).
func newID(prefix string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = idChars[int(b[i])%len(idChars)]
	}
	return prefix + string(b)
}

// now is the time of a write, to the millisecond as Livepush's are.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
