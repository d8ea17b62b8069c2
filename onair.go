// Package onair is the root of the onair SDK for Livepush, Livestorm,
// Streamdiver and DLive. The code lives in its packages: auth and scopes,
// and one package per provider (livepush, livestorm, streamdiver, dlive).
package onair

// Version is the SDK's version, sent in the User-Agent of API requests.
const Version = "0.1.0"
