package providers

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// LiveEvents is what the CLI needs of a provider's live events, the chat
// and channel events it pushes over a connection the client keeps open. A
// provider without them has none (nil).
type LiveEvents interface {
	// Follow hands each event of streamer to emit as it arrives, until
	// ctx ends or the provider ends the subscription, over a connection
	// that authenticates with ts's tokens: to the provider, or, when base
	// is set, to the onair sandbox serving at base.
	Follow(ctx context.Context, ts oauth2.TokenSource, base, streamer string, emit func(LiveEvent)) error
	// FollowSandbox starts the provider's sandbox and follows streamer
	// there as Follow does; once subscribed, it makes some activity
	// through the typed API, so that events arrive. note tells what it
	// does, in a line each.
	FollowSandbox(ctx context.Context, streamer string, note func(string), emit func(LiveEvent)) error
}

// A LiveEvent is one event of a streamer's chat or channel.
type LiveEvent struct {
	Kind   string // such as Message or Follow; for a kind onair does not know, its typename
	Sender string // who caused it, "" when nobody did
	Text   string // what it says: a message's text, or a line about the event
	Value  any    // the typed event, for JSON
}

// LiveEvents returns the provider's live events, or nil.
func (p *spec[S, O]) LiveEvents() LiveEvents { return p.live }

// ErrTokenRefused is wrapped by Follow's error when the provider kept
// refusing the token source's tokens: the login must be made again.
var ErrTokenRefused = errors.New("the provider refused the token")
