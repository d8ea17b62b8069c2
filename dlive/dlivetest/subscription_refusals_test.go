package dlivetest

import (
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/onair-go/onair/scopes"
)

// A connection is refused as DLive refuses it: without the graphql-ws
// subprotocol, or with a token that is missing, sent with a scheme,
// unknown or revoked; its error is one line and never holds the token.
func TestConnectionRefusals(t *testing.T) {
	srv := start(t)
	live := srv.IssueToken(scopes.DLiveChatWrite).AccessToken
	revoked := srv.IssueToken(scopes.DLiveChatWrite).AccessToken
	srv.RevokeToken(revoked)
	expired := srv.s.Auth.IssueFor(loginUsername, srv.ClientID, []string{string(scopes.DLiveChatWrite)}, -time.Minute)
	for _, tc := range []struct {
		name      string
		protocols []string
		first     any // the first message; nil sends none
		code      websocket.StatusCode
		want      string // in the connection_error and the close reason
	}{
		{"no subprotocol", nil, nil, websocket.StatusProtocolError, "graphql-ws"},
		{"no subprotocol, then a valid init", nil, initMessage(live), websocket.StatusProtocolError, "graphql-ws"},
		{"the newer protocol", []string{"graphql-transport-ws"}, nil, websocket.StatusProtocolError, "graphql-ws"},
		{"missing token", []string{subprotocol}, map[string]any{"type": "connection_init", "payload": map[string]any{}}, statusUnauthorized, "no access token"},
		{"no payload", []string{subprotocol}, map[string]any{"type": "connection_init"}, statusUnauthorized, "no access token"},
		{"Bearer token", []string{subprotocol}, initMessage("Bearer " + live), statusUnauthorized, "bare access token"},
		{"unknown token", []string{subprotocol}, initMessage("not-a-token"), statusUnauthorized, "unknown, expired or revoked"},
		{"revoked token", []string{subprotocol}, initMessage(revoked), statusUnauthorized, "unknown, expired or revoked"},
		{"expired token", []string{subprotocol}, initMessage(expired), statusUnauthorized, "unknown, expired or revoked"},
		{"token not a string", []string{subprotocol}, map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": 42}}, statusUnauthorized, "string"},
		{"start before init", []string{subprotocol}, map[string]any{"id": "1", "type": "start", "payload": map[string]any{"query": chatQuery(loginUsername)}}, statusUnauthorized, "connection_init"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, srv, tc.protocols...)
			if tc.first != nil {
				send(t, c, tc.first)
			}
			code, reason, got := readClose(t, c)
			if code != tc.code || !strings.Contains(reason, tc.want) {
				t.Errorf("closed with %d %q, want %d about %q", code, reason, tc.code, tc.want)
			}
			if tc.code == websocket.StatusProtocolError {
				if len(got) != 0 {
					t.Errorf("got %v before the close, want nothing", got)
				}
				return
			}
			if len(got) != 1 || got[0].Type != "connection_error" {
				t.Fatalf("got %v, want one connection_error", got)
			}
			msg := string(got[0].Payload)
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, `\n`) || strings.Contains(msg, live) || strings.Contains(msg, revoked) || strings.Contains(msg, expired) {
				t.Errorf("connection_error %s: want one line about %q, without the token", msg, tc.want)
			}
		})
	}
	if n := len(srv.SubscriptionTokens()); n != 0 {
		t.Errorf("%d refused connections were acknowledged", n)
	}
}

// A start the schema or the sandbox refuses gets an error for its id, and
// the connection goes on serving.
func TestStartRefusals(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	for _, tc := range []struct {
		name    string
		payload map[string]any
		want    string // in the error's payload
	}{
		{"unknown streamer", map[string]any{"query": chatQuery("dlive-nobody")}, "dlive-nobody"},
		{"unknown field", map[string]any{"query": `subscription { streamMessageReceived(streamer: "x") { nope } }`}, "GRAPHQL_VALIDATION_FAILED"},
		{"no streamer", map[string]any{"query": `subscription { streamMessageReceived { __typename } }`}, "GRAPHQL_VALIDATION_FAILED"},
		{"does not parse", map[string]any{"query": `subscription {`}, "GRAPHQL_PARSE_FAILED"},
		{"two root fields", map[string]any{"query": `subscription { a: streamMessageReceived(streamer: "x") { __typename } b: streamMessageReceived(streamer: "y") { __typename } }`}, "one field"},
		{"a query", map[string]any{"query": `query { me { username } }`}, "takes a subscription"},
		{"variable missing", map[string]any{"query": `subscription($s: String!) { streamMessageReceived(streamer: $s) { __typename } }`}, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown operation", map[string]any{"query": chatQuery(loginUsername), "operationName": "Other"}, "Other"},
		{"no payload", nil, "payload"},
		{"no query", map[string]any{"variables": map[string]any{}}, "payload"},
		{"no operation", map[string]any{"query": `# nothing`}, "has no operation"},
		{"two operations, no name", map[string]any{"query": "subscription A { streamMessageReceived(streamer: \"x\") { __typename } }\n" +
			"subscription B { streamMessageReceived(streamer: \"y\") { __typename } }"}, "operation name is required"},
		{"fragments only", map[string]any{"query": `fragment F on ChatText { id }`}, "GRAPHQL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			send(t, c, map[string]any{"id": tc.name, "type": "start", "payload": tc.payload})
			m := read(t, c)
			if m.Type != "error" || m.ID != tc.name || !strings.Contains(string(m.Payload), tc.want) {
				t.Errorf("got %s for %q: %s, want an error for %q about %s", m.Type, m.ID, m.Payload, tc.name, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		msg  any
		want string
	}{
		{"no id", map[string]any{"type": "start", "payload": map[string]any{"query": chatQuery(loginUsername)}}, "no id"},
		{"unknown type", map[string]any{"id": "1", "type": "subscribe"}, "subscribe"},
		{"second init", initMessage("whatever"), "already"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			send(t, c, tc.msg)
			if m := read(t, c); m.Type != "error" || !strings.Contains(string(m.Payload), tc.want) {
				t.Errorf("got %s %s, want an error about %s", m.Type, m.Payload, tc.want)
			}
		})
	}
	if err := srv.WaitSubscribed(wsContext(t), loginUsername, 0); err != nil {
		t.Fatal(err)
	}
	if n := srv.hub().subscribed("dlive-nobody") + srv.hub().subscribed("x"); n != 0 {
		t.Errorf("%d refused subscriptions are active", n)
	}
	subscribe(t, srv, c, "after", loginUsername)
	if err := srv.Emit(loginUsername, map[string]any{"__typename": "ChatOffline", "type": "Offline"}); err != nil {
		t.Fatal(err)
	}
	if ev := oneEvent(t, read(t, c), "after"); ev["__typename"] != "ChatOffline" {
		t.Errorf("after the refusals got %v, want the event emitted", ev)
	}
}
