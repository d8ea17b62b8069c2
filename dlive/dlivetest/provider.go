// Package dlivetest serves DLive sandboxes for tests and for trying onair
// without an account: DLive's OAuth 2.0 dialect and its API on a loopback
// HTTP server, like net/http/httptest, with a registered client and seeded
// data. The sandbox is as strict as DLive: requests that do not match the
// API, tokens that are unknown, expired or lack the operation's scope, and
// OAuth requests outside the dialect get DLive's errors.
//
// The sandbox also serves DLive's subscription WebSocket
// (Server.SubscriptionURL), as strictly: what the API changes in a chat
// reaches its subscribers as events, Server.Emit pushes any other event,
// and fault controls (DropSubscriptions, CloseSubscriptions,
// StopKeepAlives, DelayEvents) let a test put a client through what a
// network and a server do to it.
package dlivetest

import (
	"net/http"
	"sync"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/internal/server"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
)

// spec is read once per process; sandboxes only read it.
var spec = sync.OnceValues(func() (*apispec.Spec, error) { return sandbox.LoadSpec("dlive", server.GetSwagger) })

func provider(c sandbox.Config) (sandbox.Provider, error) {
	sp, err := spec()
	if err != nil {
		return sandbox.Provider{}, err
	}
	a := newAPI()
	a.events = newHub(a, dliveOptions(&c).keepAlive)
	return sandbox.Provider{
		Dialect:  Dialect(),
		Endpoint: dlive.Endpoint,
		User:     loginUsername, // who approves every authorization
		Spec:     sp,
		API:      a.handler(),
		Error:    writeError,
		Covers:   covers,
		// The GraphQL handler checks each operation's scopes and faults.
		Operation: func(*apispec.Operation) string { return "" },
		// The subscription WebSocket, which the OpenAPI document cannot
		// describe; it checks its token itself.
		Paths: map[string]http.Handler{subscriptionPath: a.events},
		State: a,
		Close: func() { a.events.Close() },
	}, nil
}
