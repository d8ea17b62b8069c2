package dlivetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// The API's moderation and follow mutations reach the subscribers of the
// chat they change, as DLive's event kinds with every field.
func TestMutationEvents(t *testing.T) {
	for _, tc := range []struct {
		name     string
		streamer string // whose chat the event is in
		call     func(context.Context, *dlive.Client) error
		want     map[string]any
		sender   string // the event's sender's username, "" for none
	}{
		{"delete", loginUsername, func(ctx context.Context, c *dlive.Client) error {
			return c.Chat.Delete(ctx, loginUsername, "5d1c9f27-8a4e-4b60-b3d2-17e9c5a8f046")
		}, map[string]any{"__typename": "ChatDelete", "type": "Delete", "ids": []any{"5d1c9f27-8a4e-4b60-b3d2-17e9c5a8f046"}}, ""},
		{"ban", loginUsername, func(ctx context.Context, c *dlive.Client) error {
			return c.Moderation.Ban(ctx, loginUsername, "dlive-12345678")
		}, map[string]any{"__typename": "ChatBan", "type": "Ban", "bannedByRoomRole": "Owner", "roomRole": "Member"}, "dlive-12345678"},
		{"follow", "dlive-12345678", func(ctx context.Context, c *dlive.Client) error {
			return c.Relationships.Follow(ctx, "dlive-12345678")
		}, map[string]any{"__typename": "ChatFollow", "type": "Follow"}, loginUsername},
		{"moderator removed", loginUsername, func(ctx context.Context, c *dlive.Client) error {
			return c.Moderation.RemoveModerator(ctx, "dlive-34567890")
		}, map[string]any{"__typename": "ChatModerator", "type": "Moderator", "add": false}, "dlive-34567890"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t)
			c, _ := connect(t, srv)
			subscribe(t, srv, c, "1", tc.streamer)
			if err := tc.call(t.Context(), client(t, srv, scopes.DLiveModerationWrite, scopes.DLiveRelationshipWrite)); err != nil {
				t.Fatal(err)
			}
			ev := oneEvent(t, read(t, c), "1")
			if diff := cmp.Diff(tc.want, pick(ev, tc.want)); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if u, _ := ev["sender"].(map[string]any); tc.sender != "" && u["username"] != tc.sender {
				t.Errorf("sender = %v, want %s", ev["sender"], tc.sender)
			}
			everyField(t, srv, ev)
		})
	}
}

// A refused mutation changes nothing and makes no event.
func TestRefusedMutationMakesNoEvent(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	subscribe(t, srv, c, "1", loginUsername)
	api := client(t, srv, scopes.DLiveModerationWrite)
	if err := api.Moderation.Ban(t.Context(), loginUsername, "dlive-67890123"); err == nil {
		t.Fatal("banning a banned user succeeded")
	}
	if err := srv.Emit(loginUsername, map[string]any{"__typename": "ChatLive", "type": "Live"}); err != nil {
		t.Fatal(err)
	}
	if ev := oneEvent(t, read(t, c), "1"); ev["__typename"] != "ChatLive" {
		t.Errorf("first event %v, want the ChatLive emitted after the refused ban", ev)
	}
}

// Several subscriptions share a connection, told apart by id; stop ends
// one with complete and leaves the others.
func TestSeveralSubscriptionsAndStop(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	subscribe(t, srv, c, "a", "dlive-12345678")
	subscribe(t, srv, c, "b", "dlive-34567890")
	emit := func(streamer string) {
		t.Helper()
		if err := srv.Emit(streamer, map[string]any{"__typename": "ChatText", "content": streamer}); err != nil {
			t.Fatal(err)
		}
	}
	emit("dlive-34567890")
	emit("dlive-12345678")
	for _, want := range []struct{ id, content string }{{"b", "dlive-34567890"}, {"a", "dlive-12345678"}} {
		if ev := oneEvent(t, read(t, c), want.id); ev["content"] != want.content {
			t.Errorf("event for %s = %v, want %s's", want.id, ev, want.content)
		}
	}

	send(t, c, map[string]any{"id": "a", "type": "stop"})
	if m := read(t, c); m.Type != "complete" || m.ID != "a" {
		t.Fatalf("stop answered %s for %q, want complete for a", m.Type, m.ID)
	}
	emit("dlive-12345678") // a's streamer, stopped: nothing comes
	emit("dlive-34567890")
	if ev := oneEvent(t, read(t, c), "b"); ev["content"] != "dlive-34567890" {
		t.Errorf("after stop, got %v, want only b's event", ev)
	}
	if n := srv.SubscriptionConnections(); n != 1 {
		t.Errorf("%d connections, want the one", n)
	}
}
