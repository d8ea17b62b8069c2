// Package livestormtest serves Livestorm sandboxes for tests and for trying onair
// without an account: Livestorm's OAuth 2.0 dialect and its API on a loopback
// HTTP server, like net/http/httptest, with a registered client and seeded
// data. The sandbox is as strict as Livestorm: requests that do not match the
// API, tokens that are unknown, expired or lack the operation's scope, and
// OAuth requests outside the dialect get Livestorm's errors.
//
// The sandbox delivers webhooks to subscribed loopback URLs when its state
// changes, on Livestorm's retry schedule (WithWebhookScale compresses it),
// and disables a subscription whose retries are spent; Trigger fires any of
// the ten events and WaitWebhooks waits for deliveries to end.
package livestormtest

import (
	"sync"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// spec is read once per process; sandboxes only read it.
var spec = sync.OnceValues(func() (*apispec.Spec, error) { return sandbox.LoadSpec("livestorm", server.GetSwagger) })

// user is the seeded user's id, who approves every authorization.
const user = "sandbox-user"

func provider(c sandbox.Config) (sandbox.Provider, error) {
	sp, err := spec()
	if err != nil {
		return sandbox.Provider{}, err
	}
	a := newAPI()
	a.hooks = newDeliverer(c)
	return sandbox.Provider{
		Dialect:  Dialect(),
		Endpoint: livestorm.Endpoint,
		User:     user,
		Spec:     sp,
		API:      a.handler(),
		Error:    writeError,
		Covers:   covers,
		Limit:    &sandbox.Limit{PerSecond: 5, Headers: rateHeaders},
		State:    a,
		Close:    func() { a.hooks.Close() },
	}, nil
}
