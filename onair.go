// Package onair is the root of the onair SDK for Livepush, Livestorm,
// Streamdiver and DLive. It holds what every provider's client shares:
// per-call options (CallOption), an answer's metadata (Response), the
// part of every provider's error that is the same (APIError) and Ptr for
// pointer fields. The rest lives in its packages: auth and scopes, and
// one package per provider (livepush, livestorm, streamdiver, dlive),
// each with a sandbox for tests (livepushtest and so on).
package onair

// Version is the SDK's version, sent in the User-Agent of API requests.
const Version = "0.1.0"
