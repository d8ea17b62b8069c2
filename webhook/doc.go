// Package webhook holds what every onair webhook receiver shares, and no
// provider's knowledge: a store that remembers which deliveries were
// already handled (Dedup), so that a provider's redelivery runs user code
// once; a constant-time comparison for secrets that arrive in a request
// (SecretEqual); a body reader bounded by a limit (ReadBody); and the
// Options every receiver takes (WithDedup, WithDedupWindow, WithBodyLimit,
// WithErrorHandler).
//
// The receivers themselves live in the provider packages:
// livestorm.Receiver and streamdiver.Receiver.
package webhook
