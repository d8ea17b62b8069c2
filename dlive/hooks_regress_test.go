package dlive_test

import (
	"context"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// Regression (review of the hooks): DLive's typed operations have no Method or Path in their Op, so
// the Operation hook gets Method "" and URLTemplate "/" for all of them,
// where the doc promises the HTTP method and the request's path template.
func TestHooksRegressDLiveOperationMethod(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	var got onair.Operation
	h := onair.Hooks{Operation: func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
		err := call(ctx)
		got = *op
		return err
	}}
	client, err := dlive.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveIdentity)), dlive.WithBaseURL(srv.URL), dlive.WithHooks(h))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Users.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got.Method != "POST" || got.Name != "Users.Me" || got.URLTemplate != "/" {
		t.Errorf("Operation %+v; want Name Users.Me, Method POST and the endpoint's path, /", got)
	}
}

// Regression (review of the hooks): an Event hook that runs handle twice makes the iterator call
// yield after the loop has left: a runtime panic in the caller's loop,
// where the Refresh hook's double run is guarded.
func TestHooksRegressDLiveEventHookTwice(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	h := onair.Hooks{Event: func(ctx context.Context, ev *onair.Event, handle func(context.Context) error) error {
		handle(ctx)
		return handle(ctx)
	}}
	ts := oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveChatWrite))
	client, err := dlive.NewClient(ts, dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()), dlive.WithHooks(h))
	if err != nil {
		t.Fatal(err)
	}
	const streamer = "dlive-12345678"
	go func() {
		if srv.WaitSubscribed(ctx, streamer, 1) == nil {
			client.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: streamer, Message: "hi", RoomRole: dlive.RoomRoleMember})
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("the loop panicked: %v", r)
		}
	}()
	for _, err := range client.Chat.Subscribe(ctx, streamer) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
}

// An Event hook that never runs the loop's body does not drop the event:
// the loop still receives it.
func TestHooksRegressDLiveEventHookNotRun(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	h := onair.Hooks{Event: func(context.Context, *onair.Event, func(context.Context) error) error { return nil }}
	ts := oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveChatWrite))
	client, err := dlive.NewClient(ts, dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()), dlive.WithHooks(h))
	if err != nil {
		t.Fatal(err)
	}
	const streamer = "dlive-12345678"
	go func() {
		if srv.WaitSubscribed(ctx, streamer, 1) == nil {
			client.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: streamer, Message: "kept", RoomRole: dlive.RoomRoleMember})
		}
	}()
	for ev, err := range client.Chat.Subscribe(ctx, streamer) {
		if err != nil {
			t.Fatal(err)
		}
		if msg, ok := ev.(*dlive.ChatText); !ok || msg.Content != "kept" {
			t.Errorf("received %#v, want the ChatText sent", ev)
		}
		break
	}
}
