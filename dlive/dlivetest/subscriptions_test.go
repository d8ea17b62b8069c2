package dlivetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// wsTimeout only keeps a broken test from hanging; no test waits it out.
const wsTimeout = 30 * time.Second

// message is what the endpoint sends, decoded for assertions.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func wsContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), wsTimeout)
	t.Cleanup(cancel)
	return ctx
}

// dial opens a WebSocket to srv's subscription endpoint offering protocols.
func dial(t *testing.T, srv *Server, protocols ...string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.Dial(wsContext(t), srv.SubscriptionURL(), &websocket.DialOptions{Subprotocols: protocols})
	if err != nil {
		t.Fatalf("dialing the subscription endpoint: %v", err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

func send(t *testing.T, c *websocket.Conn, v any) {
	t.Helper()
	if err := wsjson.Write(wsContext(t), c, v); err != nil {
		t.Fatalf("writing %v: %v", v, err)
	}
}

// readAny returns the next message, keep-alives included.
func readAny(t *testing.T, c *websocket.Conn) message {
	t.Helper()
	var m message
	if err := wsjson.Read(wsContext(t), c, &m); err != nil {
		t.Fatalf("reading a message: %v", err)
	}
	return m
}

// read returns the next message other than a keep-alive.
func read(t *testing.T, c *websocket.Conn) message {
	t.Helper()
	for {
		if m := readAny(t, c); m.Type != "ka" {
			return m
		}
	}
}

// readClose reads until the connection closes and returns how.
func readClose(t *testing.T, c *websocket.Conn) (websocket.StatusCode, string, []message) {
	t.Helper()
	var got []message
	for {
		var m message
		err := wsjson.Read(wsContext(t), c, &m)
		var ce websocket.CloseError
		switch {
		case errors.As(err, &ce):
			return ce.Code, ce.Reason, got
		case err != nil:
			return websocket.CloseStatus(err), "", got
		case m.Type != "ka":
			got = append(got, m)
		}
	}
}

func initMessage(token string) map[string]any {
	return map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": token}}
}

// connect opens an acknowledged connection with a fresh token.
func connect(t *testing.T, srv *Server) (*websocket.Conn, string) {
	t.Helper()
	token := srv.IssueToken(scopes.DLiveChatWrite).AccessToken
	c := dial(t, srv, subprotocol)
	send(t, c, initMessage(token))
	if m := read(t, c); m.Type != "connection_ack" {
		t.Fatalf("connection_init answered %s %s, want connection_ack", m.Type, m.Payload)
	}
	return c, token
}

func chatQuery(streamer string) string {
	return fmt.Sprintf(`subscription { streamMessageReceived(streamer: %q) { __typename } }`, streamer)
}

// subscribe starts id on streamer's chat and waits until it is active,
// which it learns from the sandbox: the protocol acknowledges no start.
func subscribe(t *testing.T, srv *Server, c *websocket.Conn, id, streamer string) {
	t.Helper()
	before := srv.hub().subscribed(streamer)
	send(t, c, map[string]any{"id": id, "type": "start", "payload": map[string]any{"query": chatQuery(streamer)}})
	if err := srv.WaitSubscribed(wsContext(t), streamer, before+1); err != nil {
		t.Fatal(err)
	}
}

// chatEvents returns the events of a data message of streamMessageReceived.
func chatEvents(t *testing.T, m message) []map[string]any {
	t.Helper()
	var p struct {
		Data struct {
			Events []map[string]any `json:"streamMessageReceived"`
		} `json:"data"`
	}
	if m.Type != "data" {
		t.Fatalf("got %s %s, want data", m.Type, m.Payload)
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		t.Fatalf("data payload %s: %v", m.Payload, err)
	}
	return p.Data.Events
}

// oneEvent returns the one event of a data message for id.
func oneEvent(t *testing.T, m message, id string) map[string]any {
	t.Helper()
	events := chatEvents(t, m)
	if m.ID != id || len(events) != 1 {
		t.Fatalf("got data for %q with %d events, want one for %q: %s", m.ID, len(events), id, m.Payload)
	}
	return events[0]
}

func TestSubscriptionURL(t *testing.T) {
	srv, err := NewUnstartedServer()
	if err != nil {
		t.Fatal(err)
	}
	if u := srv.SubscriptionURL(); u != "" {
		t.Errorf("SubscriptionURL before Start = %q, want empty", u)
	}
	srv.StartTLS()
	defer srv.Close()
	if u, want := srv.SubscriptionURL(), "wss"+strings.TrimPrefix(srv.URL, "https")+subscriptionPath; u != want {
		t.Errorf("SubscriptionURL after StartTLS = %q, want %q", u, want)
	}
}

// A chat message sent through the typed API reaches a subscriber as a
// ChatText with every field of its type.
func TestChatSendReachesSubscriber(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	subscribe(t, srv, c, "1", loginUsername)

	msg, err := client(t, srv, scopes.DLiveChatWrite).Chat.Send(t.Context(), dlive.SendStreamchatMessageInput{
		Streamer: loginUsername, Message: "hello, subscribers", RoomRole: dlive.RoomRoleOwner,
	})
	if err != nil {
		t.Fatal(err)
	}
	text, ok := msg.(*dlive.ChatText)
	if !ok {
		t.Fatalf("Send returned %T, want *dlive.ChatText", msg)
	}
	ev := oneEvent(t, read(t, c), "1")
	want := map[string]any{"__typename": "ChatText", "type": "Message", "id": text.ID, "content": "hello, subscribers",
		"roomRole": "Owner", "role": "None", "subscribing": false}
	if diff := cmp.Diff(want, pick(ev, want)); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if u, _ := ev["sender"].(map[string]any); u["username"] != loginUsername {
		t.Errorf("sender = %v, want %s", ev["sender"], loginUsername)
	}
	everyField(t, srv, ev)
}

// pick returns the members of got that want names.
func pick(got, want map[string]any) map[string]any {
	out := map[string]any{}
	for k := range want {
		if v, ok := got[k]; ok {
			out[k] = v
		}
	}
	return out
}

// everyField checks that ev carries every field of its schema type, and
// its sender every field of StreamchatUser: DLive pushes all of them.
func everyField(t *testing.T, srv *Server, ev map[string]any) {
	t.Helper()
	schema := srv.hub().api.exec.schema
	var check func(typename string, v map[string]any)
	check = func(typename string, v map[string]any) {
		def := schema.Types[typename]
		if def == nil {
			t.Errorf("the schema has no type %s", typename)
			return
		}
		for _, f := range def.Fields {
			if _, ok := v[f.Name]; !ok && !strings.HasPrefix(f.Name, "__") {
				t.Errorf("%s has no field %s: %v", typename, f.Name, v)
			}
		}
		if v["__typename"] != typename {
			t.Errorf("__typename = %v, want %s", v["__typename"], typename)
		}
	}
	typename, _ := ev["__typename"].(string)
	check(typename, ev)
	for _, k := range []string{"sender", "bannedBy"} {
		if u, ok := ev[k].(map[string]any); ok {
			check("StreamchatUser", u)
		}
	}
}

// Emit delivers a test's event as it marshals, of a kind the schema knows
// or not; the treasure chest's field is one object, not a list.
func TestEmit(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	subscribe(t, srv, c, "chat", "dlive-12345678")
	send(t, c, map[string]any{"id": "chest", "type": "start", "payload": map[string]any{
		"query": `subscription($s: String!) { chest: treasureChestMessageReceived(streamer: $s) { type } }`, "variables": map[string]any{"s": "dlive-12345678"}}})
	if err := srv.WaitSubscribed(wsContext(t), "dlive-12345678", 2); err != nil {
		t.Fatal(err)
	}

	unknown := map[string]any{"__typename": "ChatRaid", "type": "Raid", "viewers": 12.0}
	if err := srv.Emit("dlive-12345678", unknown); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(unknown, oneEvent(t, read(t, c), "chat")); diff != "" {
		t.Errorf("unknown kind (-want +got):\n%s", diff)
	}

	gift := struct {
		Typename string `json:"__typename"`
		Type     string `json:"type"`
		Gift     string `json:"gift"`
		Amount   string `json:"amount"`
	}{"ChatGift", "Gift", "LEMON", "1"}
	if err := srv.Emit("dlive-12345678", gift); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"__typename": "ChatGift", "type": "Gift", "gift": "LEMON", "amount": "1"}
	if diff := cmp.Diff(want, oneEvent(t, read(t, c), "chat")); diff != "" {
		t.Errorf("struct event (-want +got):\n%s", diff)
	}

	chest := map[string]any{"__typename": "TreasureChestValueUpdated", "type": "ValueUpdated", "value": "100"}
	if err := srv.EmitTreasureChest("dlive-12345678", chest); err != nil {
		t.Fatal(err)
	}
	m := read(t, c)
	var p struct {
		Data map[string]map[string]any `json:"data"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || m.ID != "chest" || m.Type != "data" {
		t.Fatalf("got %s for %q: %s (%v), want data for chest", m.Type, m.ID, m.Payload, err)
	}
	if diff := cmp.Diff(map[string]map[string]any{"chest": chest}, p.Data); diff != "" {
		t.Errorf("treasure chest data, by the field's alias (-want +got):\n%s", diff)
	}
}

func TestEmitRefusals(t *testing.T) {
	srv := start(t)
	for _, tc := range []struct {
		name, streamer string
		event          any
		want           string
	}{
		{"no __typename", loginUsername, map[string]any{"type": "Message"}, "__typename"},
		{"empty __typename", loginUsername, map[string]any{"__typename": ""}, "__typename"},
		{"not an object", loginUsername, []string{"ChatText"}, "JSON object"},
		{"does not marshal", loginUsername, map[string]any{"__typename": "ChatText", "f": func() {}}, "marshal"},
		{"unknown streamer", "dlive-nobody", map[string]any{"__typename": "ChatText"}, "dlive-nobody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := srv.Emit(tc.streamer, tc.event)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Emit = %v, want one line about %s", err, tc.want)
			}
		})
	}
}

// DropSubscriptions cuts connections without a close frame; a new
// connection, with a new token, gets the next events.
func TestDropSubscriptions(t *testing.T) {
	srv := start(t)
	c, first := connect(t, srv)
	subscribe(t, srv, c, "1", loginUsername)

	srv.DropSubscriptions()
	if n := srv.SubscriptionConnections(); n != 0 {
		t.Errorf("after DropSubscriptions, %d connections, want 0", n)
	}
	if code, reason, _ := readClose(t, c); code != -1 {
		t.Errorf("the dropped connection closed with %d %q, want no close frame", code, reason)
	}

	c2, second := connect(t, srv)
	subscribe(t, srv, c2, "1", loginUsername)
	if err := srv.Emit(loginUsername, map[string]any{"__typename": "ChatLive", "type": "Live"}); err != nil {
		t.Fatal(err)
	}
	if ev := oneEvent(t, read(t, c2), "1"); ev["__typename"] != "ChatLive" {
		t.Errorf("after the reconnection got %v, want the ChatLive emitted", ev)
	}
	if diff := cmp.Diff([]string{first, second}, srv.SubscriptionTokens()); diff != "" {
		t.Errorf("SubscriptionTokens (-want +got):\n%s", diff)
	}
}

// An application token, which has no user, opens a connection: DLive's
// documentation says an app token works.
func TestApplicationTokenSubscribes(t *testing.T) {
	srv := start(t)
	app := srv.s.Auth.IssueFor("", srv.ClientID, nil, time.Hour)
	c := dial(t, srv, subprotocol)
	send(t, c, initMessage(app))
	if m := read(t, c); m.Type != "connection_ack" {
		t.Fatalf("connection_init with an application token answered %s %s, want connection_ack", m.Type, m.Payload)
	}
	subscribe(t, srv, c, "1", loginUsername)
	if diff := cmp.Diff([]string{app}, srv.SubscriptionTokens()); diff != "" {
		t.Errorf("SubscriptionTokens (-want +got):\n%s", diff)
	}
}
