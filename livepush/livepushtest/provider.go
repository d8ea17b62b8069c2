// Package livepushtest serves Livepush sandboxes for tests and for trying onair
// without an account: Livepush's OAuth 2.0 dialect and its API on a loopback
// HTTP server, like net/http/httptest, with a registered client and seeded
// data. The sandbox is as strict as Livepush: requests that do not match the
// API, tokens that are unknown, expired or lack the operation's scope, and
// OAuth requests outside the dialect get Livepush's errors.
package livepushtest

import (
	"sync"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/internal/server"
)

// spec is read once per process; sandboxes only read it.
var spec = sync.OnceValues(func() (*apispec.Spec, error) { return sandbox.LoadSpec("livepush", server.GetSwagger) })

func provider(c sandbox.Config) (sandbox.Provider, error) {
	sp, err := spec()
	if err != nil {
		return sandbox.Provider{}, err
	}
	return sandbox.Provider{
		Dialect:  Dialect(),
		Endpoint: livepush.Endpoint,
		User:     seedUserID, // who approves every authorization
		Spec:     sp,
		API:      newAPI().handler(),
		Error:    writeError,
		Covers:   covers,
	}, nil
}
