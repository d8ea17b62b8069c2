package webhook

import (
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/hooks"
)

// Config is what Options set on a receiver, such as livestorm.NewReceiver
// or streamdiver.NewReceiver. Its zero value is each receiver's default.
type Config struct {
	// Dedup keeps the deliveries handled; nil keeps them in the process's
	// memory (NewMemoryDedup).
	Dedup Dedup
	// Window is how long a handled delivery is remembered; zero is the
	// provider's DefaultDedupWindow.
	Window time.Duration
	// BodyLimit is the largest body accepted, in bytes; zero is
	// DefaultBodyLimit.
	BodyLimit int64
	// ErrorHandler, if set, is called with every delivery refused or not
	// handled, the handler's errors included.
	ErrorHandler func(error)
	// Hooks' Event wraps the handling of each delivery.
	Hooks onair.Hooks
}

// An Option configures a receiver. The same Options serve every provider.
type Option func(*Config)

// WithDedup keeps the deliveries handled in d instead of the process's
// memory, such as a database shared by several instances of the receiver
// (sqlstore.Store.Dedup).
func WithDedup(d Dedup) Option { return func(c *Config) { c.Dedup = d } }

// WithDedupWindow sets how long a handled delivery is remembered, so that
// a redelivery within it is not handled again (the provider's
// DefaultDedupWindow by default). It must cover the provider's retries.
func WithDedupWindow(d time.Duration) Option { return func(c *Config) { c.Window = d } }

// WithBodyLimit sets the largest body accepted, in bytes
// (DefaultBodyLimit by default).
func WithBodyLimit(n int64) Option { return func(c *Config) { c.BodyLimit = n } }

// WithErrorHandler calls f with every delivery the receiver refused or
// failed to handle, the handler's errors included, for logging. The
// errors never hold the secret. Requests without the secret are refused
// too, and a public URL draws scanners: rate-limit what f logs.
func WithErrorHandler(f func(error)) Option { return func(c *Config) { c.ErrorHandler = f } }

// WithHooks wraps the handling of each delivery the receiver accepts in
// h's Event hook (see onair.Hooks); package otelonair's Hooks trace it.
// Given more than once, the first given runs outermost.
func WithHooks(h onair.Hooks) Option {
	return func(c *Config) { c.Hooks = hooks.Chain(c.Hooks, h) }
}
