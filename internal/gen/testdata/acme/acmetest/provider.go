// Package acmetest serves Acme sandboxes: the made-up provider's OAuth 2.0
// dialect and its API on a loopback HTTP server, as a real provider's
// <provider>test package does, for internal/gen's golden test.
package acmetest

import (
	"sync"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/gen/testdata/acme"
	"github.com/onair-go/onair/internal/gen/testdata/acme/internal/server"
	"github.com/onair-go/onair/internal/sandbox"
)

// seedUserID is the user who approves every authorization.
const seedUserID = "u_1"

// spec is read once per process; sandboxes only read it.
var spec = sync.OnceValues(func() (*apispec.Spec, error) { return sandbox.LoadSpec("acme", server.GetSwagger) })

func provider(c sandbox.Config) (sandbox.Provider, error) {
	sp, err := spec()
	if err != nil {
		return sandbox.Provider{}, err
	}
	return sandbox.Provider{
		Dialect:  Dialect(),
		Endpoint: acme.Endpoint,
		User:     seedUserID,
		Spec:     sp,
		API:      newAPI().handler(),
		Error:    writeError,
		Covers:   covers,
	}, nil
}
