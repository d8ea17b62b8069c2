package dlive_test

import (
	"context"
	"iter"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// sandboxTokens issues a new sandbox token on every call, as a source
// whose token was refreshed would: a reconnect must use it.
type sandboxTokens struct{ srv *dlivetest.Server }

func (s sandboxTokens) Token() (*oauth2.Token, error) {
	return s.srv.IssueToken(scopes.DLiveIdentity, scopes.DLiveChatWrite, scopes.DLiveRelationshipWrite), nil
}

// The streamer the sandbox's user chats with and follows, and that user.
const (
	sandboxStreamer = "dlive-12345678"
	sandboxUser     = "dlive-87654321"
)

func sandboxSubscriber(t testing.TB, srv *dlivetest.Server, opts ...dlive.Option) (*dlive.Client, *consumer[dlive.ChatMessage]) {
	t.Helper()
	c, err := dlive.NewClient(sandboxTokens{srv}, append([]dlive.Option{dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, sandboxStreamer)
	})
	waitSubscribed(t, srv)
	return c, loop
}

func waitSubscribed(t testing.TB, srv *dlivetest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := srv.WaitSubscribed(ctx, sandboxStreamer, 1); err != nil {
		t.Fatal(err)
	}
}

// send sends a chat message to the sandbox's streamer.
func send(t *testing.T, c *dlive.Client, text string) *dlive.ChatText {
	t.Helper()
	sent, err := c.Chat.Send(context.Background(), dlive.SendStreamchatMessageInput{Streamer: sandboxStreamer, Message: text, RoomRole: dlive.RoomRoleMember})
	if err != nil {
		t.Fatal(err)
	}
	return sent.(*dlive.ChatText)
}

// A message sent through the typed API reaches the subscriber as a
// typed event.
func TestSandboxSendReachesSubscriber(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	c, loop := sandboxSubscriber(t, srv)
	sent := send(t, c, "hello, subscribers")
	got, ok := loop.event().(*dlive.ChatText)
	if !ok || got.ID != sent.ID || got.Content != "hello, subscribers" || got.Sender == nil || got.Sender.Username != sandboxUser {
		t.Errorf("event = %#v, want the ChatText sent (%s) from %s", got, sent.ID, sandboxUser)
	}
}

// A follow made through the typed API reaches the subscriber as a typed
// ChatFollow.
func TestSandboxFollowReachesSubscriber(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	c, loop := sandboxSubscriber(t, srv)
	if err := c.Relationships.Follow(context.Background(), sandboxStreamer); err != nil {
		t.Fatal(err)
	}
	got, ok := loop.event().(*dlive.ChatFollow)
	if !ok || got.Type != dlive.ChatTypeFollow || got.Sender == nil || got.Sender.Username != sandboxUser {
		t.Errorf("event = %#v, want a ChatFollow from %s", got, sandboxUser)
	}
}

// After the sandbox drops the connection, the client reconnects with a
// new token from the source and the next event arrives.
func TestSandboxDropReconnectsWithNewToken(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	_, loop := sandboxSubscriber(t, srv)
	srv.DropSubscriptions()
	waitSubscribed(t, srv)
	tokens := srv.SubscriptionTokens()
	if len(tokens) != 2 || tokens[0] == tokens[1] {
		t.Errorf("the connections' tokens = %q, want two different ones", tokens)
	}
	if err := srv.Emit(sandboxStreamer, map[string]any{"__typename": "ChatFollow", "type": "Follow", "id": "after-drop"}); err != nil {
		t.Fatal(err)
	}
	if got, ok := loop.event().(*dlive.ChatFollow); !ok || got.ID != "after-drop" {
		t.Errorf("event = %#v, want the ChatFollow after the drop", got)
	}
}

// When the sandbox's keep-alives stop, the client replaces the connection
// and the subscription resumes.
func TestSandboxKeepAlivesStopReconnects(t *testing.T) {
	srv := dlivetest.NewServer(dlivetest.WithKeepAlive(50 * time.Millisecond))
	defer srv.Close()
	_, loop := sandboxSubscriber(t, srv, dlive.WithSubscriptionKeepAlive(50*time.Millisecond))
	before := len(srv.SubscriptionTokens())
	srv.StopKeepAlives()
	// Waiting for the client to give up on the silent connection: the
	// condition is polled, its timing not asserted.
	deadline := time.Now().Add(wait)
	for len(srv.SubscriptionTokens()) == before {
		if time.Now().After(deadline) {
			t.Fatal("the client did not reconnect after the keep-alives stopped")
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.ResumeKeepAlives()
	waitSubscribed(t, srv)
	// An event can still reach a connection that went silent before the
	// keep-alives resumed and that the client is replacing: emit until
	// one arrives.
	for i := 0; ; i++ {
		if err := srv.Emit(sandboxStreamer, map[string]any{"__typename": "ChatFollow", "type": "Follow", "id": "resumed"}); err != nil {
			t.Fatal(err)
		}
		e, err, ok := loop.within(time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if got, isFollow := e.(*dlive.ChatFollow); !isFollow || got.ID != "resumed" {
				t.Errorf("event = %#v, want the ChatFollow after the keep-alives stopped", e)
			}
			return
		}
		if i == 20 {
			t.Fatal("no event arrived after the keep-alives resumed")
		}
		waitSubscribed(t, srv)
	}
}

// Cancelling the subscription's context ends the iteration, and no
// goroutine of the client is left.
func TestSandboxCancelLeavesNoGoroutine(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	_, loop := sandboxSubscriber(t, srv)
	loop.cancel()
	if _, err := loop.next(); err == nil {
		t.Error("the iteration ended without the context's error")
	}
	loop.ended()
	noSubscriptionGoroutines(t)
}
