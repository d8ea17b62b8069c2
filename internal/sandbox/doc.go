// Package sandbox is the engine under onair's provider fakes
// (livepush/livepushtest and its siblings) and under the client tests'
// example servers.
//
// One engine serves both (engine.go). It matches each API request to its
// spec operation and passes it down a chain of steps, any of which may
// answer it:
//
//	route and record → checks → request validation → responder → answer validation
//
// A Server, a provider's fake, serves the provider's authorization server
// (internal/authserver) and its API on one loopback server. Its checks
// (checks.go) are injected faults, the access token, the operation's
// scopes by the provider's rules, under which one scope may cover another
// (Grant, in lent.go), and the provider's rate limit; its responder is
// the provider's handler (Provider.API). An answer that breaks the spec is
// refused as the sandbox's bug, so that a fake that drifts from its spec
// fails loudly.
//
// An ExampleServer serves a spec with no provider behind it, for a
// client's tests (exampleserver.go): its responder answers with the spec's
// own examples, paged by the operation's style (examples.go), and every
// request or answer that breaks the spec fails the test.
//
// Routing and validation sit behind the router, validateRequest and
// validateAnswer types (validate.go), implemented with internal/specroute,
// internal/jsonschema and kin-openapi.
package sandbox
