package onair_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// The bot answers a viewer's "!hello" in the chat, and its loop ends with
// ctx's error when ctx ends.
func TestREADMEChatBot(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	const streamer = "dlive-12345678"
	bot := make(chan error, 1)
	go func() { bot <- readmeChatBot(ctx, srv) }()

	viewer, err := dlive.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveChatWrite)),
		dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		// Both the bot and the viewer's own loop below listen.
		if srv.WaitSubscribed(ctx, streamer, 2) == nil {
			viewer.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: streamer, Message: "!hello", RoomRole: dlive.RoomRoleMember})
		}
	}()
	var seen []string
	for ev, err := range viewer.Chat.Subscribe(ctx, streamer) {
		if err != nil {
			t.Fatalf("the viewer's subscription ended: %v (saw %q)", err, seen)
		}
		if msg, ok := ev.(*dlive.ChatText); ok {
			seen = append(seen, msg.Content)
			if msg.Content == "Hello, OnairDemo!" {
				break
			}
		}
	}
	if want := []string{"!hello", "Hello, OnairDemo!"}; !slices.Equal(seen, want) {
		t.Errorf("the chat read %q, want %q", seen, want)
	}
	cancel()
	if err := <-bot; !errors.Is(err, context.Canceled) {
		t.Errorf("the bot's loop ended with %v, want context.Canceled", err)
	}
}
