package dlive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strings"

	"github.com/onair-go/onair/dlive/internal/gql"
)

// Subscribe returns the chat and channel events of streamer (a username,
// not a display name) as they arrive over DLive's WebSocket: text
// messages, gifts, follows, subscriptions, bans and every other kind
// ChatMessage lists. An event of a kind this package does not know, or
// one it cannot decode, arrives as an *UnknownChatMessage that keeps its
// JSON; it never ends the stream.
//
// Every subscription of a Client shares one connection, opened by the
// first and closed when the last ends (see WithSubscriptionURL). The
// connection sends the token bare, as DLive wants it, and the token goes
// to that endpoint's host only. DLive documents no scope for
// subscriptions and says an application token works, so no scope is
// checked before connecting.
//
// The client reconnects when the connection drops or its keep-alives stop
// for 3 intervals (see WithSubscriptionKeepAlive): at once after a
// connection that worked, then backing off exponentially with full jitter
// from 1/25 of the keep-alive interval up to the interval (1 s to 25 s by
// default). Each reconnect asks the token source for a token again,
// so a refreshed token is used, and starts every active subscription
// again; events sent while the client was away are lost, as DLive does
// not replay them. When the server refuses the token (connection_error)
// the client invalidates it in the source, when the source allows, and
// retries; after 3 refusals in a row the iteration ends with an error
// matching ErrSubscriptionRefused, which wraps the server's
// *SubscriptionError. A token source that fails 3 times in a row ends it
// with the source's error, unless the failure is the network's or the
// authorization server's (5xx): those are retried as a dropped connection
// is, for as long as they last.
//
// Events arrive in order. Each subscription buffers up to 256 events for
// its loop; a loop that falls further behind ends with an error matching
// ErrSlowConsumer, after the buffered events, and the other subscriptions
// of the connection go on: hand slow work to another goroutine. The
// iteration ends when the loop breaks; it yields ctx's error as its last
// value when ctx ends, a *SubscriptionError when the server refuses the
// subscription (an unknown streamer), and no error when the server
// completes it. It sends DLive `stop` as it ends, and leaves no goroutine
// behind.
func (s *ChatService) Subscribe(ctx context.Context, streamer string) iter.Seq2[ChatMessage, error] {
	return subscribe(ctx, s.c.subscriptions, "Chat.Subscribe", startPayload{
		Query:         gql.SubscribeChat_Operation,
		OperationName: "SubscribeChat",
		Variables:     map[string]string{"streamer": streamer},
	}, chatCodec)
}

// SubscribeTreasureChest returns the treasure chest events of streamer (a
// username) as they arrive over DLive's WebSocket, as Subscribe does for
// chat events: same connection, reconnects, buffering and ending. Sources
// disagree on whether DLive sends one event or a list of them at a time;
// both are accepted. A kind this package does not know arrives as an
// *UnknownTreasureChestMessage.
func (s *ChatService) SubscribeTreasureChest(ctx context.Context, streamer string) iter.Seq2[TreasureChestMessage, error] {
	return subscribe(ctx, s.c.subscriptions, "Chat.SubscribeTreasureChest", startPayload{
		Query:         gql.SubscribeTreasureChest_Operation,
		OperationName: "SubscribeTreasureChest",
		Variables:     map[string]string{"streamer": streamer},
	}, treasureChestCodec)
}

// UnknownChatMessage is a chat event that Subscribe could not decode as
// one of the kinds ChatMessage lists: a __typename this package does not
// know (DLive adds kinds, and the names of its Live and Offline events are
// not documented), or a known kind whose fields are malformed.
type UnknownChatMessage struct {
	// Typename is the event's __typename, empty when it has none.
	Typename string
	// Type is the event's type field, when it could be read.
	Type ChatType
	// Raw is the event as it arrived.
	Raw json.RawMessage
	// Err says why the event was not decoded.
	Err error
}

func (*UnknownChatMessage) chatMessage() {}

// UnknownTreasureChestMessage is a treasure chest event that
// SubscribeTreasureChest could not decode as one of the kinds
// TreasureChestMessage lists; see UnknownChatMessage.
type UnknownTreasureChestMessage struct {
	// Typename is the event's __typename, empty when it has none.
	Typename string
	// Type is the event's type field, when it could be read.
	Type TreasureChestMessageType
	// Raw is the event as it arrived.
	Raw json.RawMessage
	// Err says why the event was not decoded.
	Err error
}

func (*UnknownTreasureChestMessage) treasureChestMessage() {}

// ErrSubscriptionRefused reports a subscription server that refused a
// fresh token 3 times in a row; the error that ends the iteration wraps
// it and the server's last refusal (a *SubscriptionError, or the
// handshake's HTTP status).
var ErrSubscriptionRefused = errors.New("the subscription server refused the token 3 times in a row, each time a fresh one from the token source: check the token source and its grant")

// ErrSlowConsumer reports a subscription whose loop fell so far behind
// that its buffer of 256 events filled: the subscription was stopped
// rather than hold up the others of the connection or drop events
// silently.
var ErrSlowConsumer = errors.New("the loop over the subscription fell 256 events behind, so it was stopped: handle events faster or hand them to another goroutine, and subscribe again")

// SubscriptionError is a refusal the subscription server sent: of the
// connection (Type "connection_error"), of one subscription ("error"), or
// GraphQL errors without data ("data"). Its texts are one line each, and
// never hold the token.
type SubscriptionError struct {
	// Type is the protocol message that carried the refusal.
	Type string
	// Message is the refusal's message, if it had one.
	Message string
	// Errors are the GraphQL errors the message carried, without their
	// extensions, which may quote the request and its token.
	Errors []GraphQLError
}

func (e *SubscriptionError) Error() string {
	msgs := []string{}
	if e.Message != "" {
		msgs = append(msgs, e.Message)
	}
	for _, g := range e.Errors {
		msgs = append(msgs, g.Message)
	}
	if len(msgs) == 0 {
		return "dlive: the subscription server sent " + e.Type
	}
	return fmt.Sprintf("dlive: the subscription server sent %s: %s", e.Type, strings.Join(msgs, "; "))
}

// LogValue logs e as its text and the protocol message that carried it.
func (e *SubscriptionError) LogValue() slog.Value {
	return slog.GroupValue(slog.String("msg", e.Error()), slog.String("type", e.Type))
}
