// Package streamdivertest serves Streamdiver sandboxes for tests and for trying onair
// without an account: Streamdiver's OAuth 2.0 dialect and its API on a loopback
// HTTP server, like net/http/httptest, with a registered client and seeded
// data. The sandbox is as strict as Streamdiver: requests that do not match the
// API, tokens that are unknown, expired or lack the operation's scope, and
// OAuth requests outside the dialect get Streamdiver's errors.
//
// The sandbox delivers real webhooks: creating, updating, deleting and
// restoring media POSTs the events to the subscribed URLs, with delivery
// logs and retries through the API. Server.Trigger fires any event, and
// Server.WaitDeliveries waits for deliveries to end.
package streamdivertest

import (
	"sync"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// spec is read once per process; sandboxes only read it.
var spec = sync.OnceValues(func() (*apispec.Spec, error) { return sandbox.LoadSpec("streamdiver", server.GetSwagger) })

func provider(c sandbox.Config) (sandbox.Provider, error) {
	sp, err := spec()
	if err != nil {
		return sandbox.Provider{}, err
	}
	a := newTenantAPI(tenant(c))
	return sandbox.Provider{
		Dialect:  Dialect(),
		Endpoint: streamdiver.Endpoint(tenant(c)),
		// Streamdiver has client credentials only: no user approves anything.
		Spec:   sp,
		API:    a.handler(),
		Error:  writeError,
		Covers: covers,
		State:  a,
		Close:  func() { a.out.Close() },
	}, nil
}

// DefaultTenant is the realm a sandbox serves unless WithTenant says
// otherwise.
const DefaultTenant = "sandbox"

// tenantOption is what WithTenant keeps in sandbox.Config.Extra.
type tenantOption string

// WithTenant serves the realm of tenant instead of DefaultTenant.
func WithTenant(tenant string) Option {
	return func(c *sandbox.Config) { c.Extra = tenantOption(tenant) }
}

func tenant(c sandbox.Config) string {
	if t, _ := c.Extra.(tenantOption); t != "" {
		return string(t)
	}
	return DefaultTenant
}
