package dlivetest_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkChatEventLatency measures a chat message's way from the typed
// API call that sends it to a raw WebSocket subscriber of the sandbox,
// with its p50 and p99.
func BenchmarkChatEventLatency(b *testing.B) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	tok := srv.IssueToken(scopes.DLiveIdentity, scopes.DLiveChatWrite)
	client, err := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	me, err := client.Me(ctx)
	if err != nil {
		b.Fatal(err)
	}
	c, _, err := websocket.Dial(ctx, srv.SubscriptionURL(), &websocket.DialOptions{Subprotocols: []string{"graphql-ws"}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseNow()
	var m struct{ Type string }
	for _, msg := range []map[string]any{
		{"type": "connection_init", "payload": map[string]any{"authorization": tok.AccessToken}},
		{"id": "1", "type": "start", "payload": map[string]any{
			"query": `subscription($s: String!) { streamMessageReceived(streamer: $s) { __typename } }`, "variables": map[string]any{"s": me.Username}}},
	} {
		if err := wsjson.Write(ctx, c, msg); err != nil {
			b.Fatal(err)
		}
	}
	if err := wsjson.Read(ctx, c, &m); err != nil || m.Type != "connection_ack" {
		b.Fatalf("connection_init answered %q, %v", m.Type, err)
	}
	if err := srv.WaitSubscribed(ctx, me.Username, 1); err != nil {
		b.Fatal(err)
	}
	in := dlive.SendStreamchatMessageInput{Streamer: me.Username, Message: "ping", RoomRole: dlive.RoomRoleOwner}
	latencies := make([]time.Duration, 0, b.N)
	for b.Loop() {
		t0 := time.Now()
		if _, err := client.Chat.Send(ctx, in); err != nil {
			b.Fatal(err)
		}
		for m.Type = ""; m.Type != "data"; {
			if err := wsjson.Read(ctx, c, &m); err != nil {
				b.Fatal(err)
			}
		}
		latencies = append(latencies, time.Since(t0))
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
}
