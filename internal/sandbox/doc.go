// Package sandbox is the engine under onair's provider fakes
// (livepush/livepushtest and its siblings). It serves a provider's
// authorization server (internal/authserver) and its API on one loopback
// server. Before an API request reaches the provider's handler, the engine
// matches it to its operation, applies injected faults, checks the access
// token and the operation's scopes (by the provider's rules, which say
// whether one scope covers another), enforces the provider's rate limit
// and validates the request against the spec; after, it validates the answer
// too (every success, and every error status the spec declares), so that
// a fake that drifts from its spec fails loudly.
//
// Each fake is a thin dialect on top: its Provider value names the
// authorization dialect, the spec, the API handler and the shape of its
// error bodies.
package sandbox
