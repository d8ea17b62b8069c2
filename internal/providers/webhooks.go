package providers

import (
	"context"
	"net/http"
)

// Webhooks is what the CLI needs of a provider's webhooks, in event names
// and strings. A provider without webhooks has none (nil).
type Webhooks interface {
	// Events are the names of the events a delivery can carry, in the
	// order of the provider's documentation.
	Events() []string
	// Receiver returns the provider's webhook receiver for the URLs of
	// secret, mounted at the root of its server: it hands each delivery
	// to deliver, and each delivery it refuses or fails to refused.
	Receiver(secret string, deliver func(Delivery), refused func(error)) (http.Handler, error)
	// URL returns the URL to subscribe for event so that a receiver of
	// secret served at base receives it.
	URL(base, secret, event string) (string, error)
	// SandboxTrigger starts the provider's sandbox, subscribes the
	// receiver of secret at base to event through the typed API, fires
	// event and waits for the delivery to end.
	SandboxTrigger(ctx context.Context, base, secret, event string) (Outcome, error)
}

// A Delivery is one webhook delivery a receiver accepted.
type Delivery struct {
	Event   string // the event's name, such as people.registered
	Summary string // one line about it, from the delivery's fields
	Value   any    // the typed notification, for JSON
}

// An Outcome is how a delivery the sandbox made went.
type Outcome struct {
	URL       string // where it went
	Delivered bool   // the receiver accepted it
	Detail    string // what the provider tells of it, such as the status answered
}

// Webhooks returns the provider's webhooks, or nil.
func (p *spec[S, O]) Webhooks() Webhooks { return p.webhooks }
