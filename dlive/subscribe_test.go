package dlive_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/leaktest"
)

func newSubscriber(t *testing.T, srv *wsServer, src *tokens, opts ...dlive.Option) *dlive.Client {
	t.Helper()
	c, err := dlive.NewClient(src, append([]dlive.Option{dlive.WithSubscriptionURL(srv.url)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// consumer ranges over a subscription in its own goroutine, as an
// application's loop would, and hands each value to the test.
type consumer[E any] struct {
	t      testing.TB
	cancel context.CancelFunc // ends the subscription's context
	got    chan result[E]     // unbuffered: the loop waits for the test
	quit   chan struct{}      // closed: the loop breaks at its next value
	done   chan struct{}      // closed when the loop has returned
}

type result[E any] struct {
	e   E
	err error
}

func consume[E any](t testing.TB, subscribe func(context.Context) iter.Seq2[E, error]) *consumer[E] {
	ctx, cancel := context.WithCancel(context.Background())
	c := &consumer[E]{t: t, cancel: cancel, got: make(chan result[E]), quit: make(chan struct{}), done: make(chan struct{})}
	seq := subscribe(ctx)
	go func() {
		defer close(c.done)
		for e, err := range seq {
			select {
			case c.got <- result[E]{e, err}:
			case <-c.quit:
				return
			}
		}
	}()
	t.Cleanup(func() {
		c.breakLoop()
		cancel()
		<-c.done
	})
	return c
}

// next returns the loop's next value.
func (c *consumer[E]) next() (E, error) {
	c.t.Helper()
	select {
	case r := <-c.got:
		return r.e, r.err
	case <-c.done:
		c.t.Fatal("the loop ended")
	case <-time.After(wait):
		c.t.Fatal("the subscription delivered nothing")
	}
	var zero E
	return zero, nil
}

// within returns the loop's next value if one comes within d.
func (c *consumer[E]) within(d time.Duration) (E, error, bool) {
	var zero E
	select {
	case r := <-c.got:
		return r.e, r.err, true
	case <-c.done:
		c.t.Fatal("the loop ended")
	case <-time.After(d):
	}
	return zero, nil, false
}

// event returns the loop's next value, which must not be an error.
func (c *consumer[E]) event() E {
	c.t.Helper()
	e, err := c.next()
	if err != nil {
		c.t.Fatalf("the subscription failed: %v", err)
	}
	return e
}

// ended waits for the loop to return.
func (c *consumer[E]) ended() {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(wait):
		c.t.Fatal("the loop did not end")
	}
}

func (c *consumer[E]) breakLoop() {
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
}

// The wire format is DLive's: subprotocol graphql-ws, connection_init
// with the bare token, start with an id and the streamer, data, and stop
// with the same id when the loop breaks, after which the connection
// closes and no goroutine is left.
func TestSubscribeWireFormat(t *testing.T) {
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})

	conn := srv.next()
	if conn.subprotocol != "graphql-ws" {
		t.Errorf("subprotocol = %q, want graphql-ws", conn.subprotocol)
	}
	if conn.init.Type != "connection_init" || string(conn.init.Payload) != `{"authorization":"tok-1"}` {
		t.Errorf("the first message = %s %s, want connection_init {\"authorization\":\"tok-1\"} (the bare token)", conn.init.Type, conn.init.Payload)
	}
	start := conn.expect("start")
	if start.ID == "" {
		t.Error("start has no id")
	}
	var p struct {
		Query     string            `json:"query"`
		Variables map[string]string `json:"variables"`
	}
	if err := json.Unmarshal(start.Payload, &p); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimSpace(p.Query), "subscription SubscribeChat ") || !strings.Contains(p.Query, "streamMessageReceived(streamer: $streamer)") {
		t.Errorf("start's query = %q, want the SubscribeChat subscription", p.Query)
	}
	if p.Variables["streamer"] != "dlive-12345678" {
		t.Errorf("start's variables = %v, want the streamer", p.Variables)
	}
	conn.write(wsMessage{Type: "ka"})
	conn.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatText","type":"Message","id":"m1","content":"hello"}]`)
	if e, ok := loop.event().(*dlive.ChatText); !ok || e.Content != "hello" {
		t.Errorf("event = %#v, want the ChatText sent", e)
	}

	// The loop breaks at its next event: the client stops the
	// subscription with start's id, and closes the connection it no
	// longer needs.
	loop.breakLoop()
	conn.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatText","type":"Message","id":"m2","content":"bye"}]`)
	loop.ended()
	if m := conn.expect("stop"); m.ID != start.ID {
		t.Errorf("stop's id = %q, want start's %q", m.ID, start.ID)
	}
	select {
	case <-conn.closed:
	case <-time.After(wait):
		t.Fatal("the connection stayed open after the last subscription ended")
	}
	noSubscriptionGoroutines(t)
}

// Every kind of chat event decodes to its type, in the order of its
// batch; an unknown kind, a malformed known kind and a null keep their
// JSON as *UnknownChatMessage values, and the stream goes on.
func TestSubscribeDecodesEveryKind(t *testing.T) {
	sender := `"sender":{"id":"streamchatuser:fan","username":"fan","displayname":"Fan","avatar":"https://a/fan.png","partnerStatus":"AFFILIATE","badges":["SANTA"],"effect":"glow"},"subscribing":true,"role":"None","roomRole":"Member"`
	fan := &dlive.ChatSender{ID: "streamchatuser:fan", Username: "fan", DisplayName: "Fan", Avatar: "https://a/fan.png",
		PartnerStatus: dlive.PartnerStatusAffiliate, Badges: []dlive.BadgeType{"SANTA"}, Effect: "glow"}
	mod := &dlive.ChatSender{ID: "streamchatuser:mod", Username: "mod", DisplayName: "Mod", PartnerStatus: dlive.PartnerStatusNone}
	modJSON := `{"id":"streamchatuser:mod","username":"mod","displayname":"Mod","partnerStatus":"NONE"}`
	tests := []struct {
		name, json string
		want       dlive.ChatMessage
	}{
		{"text", `{"__typename":"ChatText","type":"Message","id":"t1","content":"hi","createdAt":"1718000000000000000","emojis":[3,4],"subLength":2,` + sender + `}`,
			&dlive.ChatText{Type: dlive.ChatTypeMessage, ID: "t1", Content: "hi", CreatedAt: "1718000000000000000",
				Emojis: []int{3, 4}, SubLength: 2, Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"gift", `{"__typename":"ChatGift","type":"Gift","id":"g1","gift":"ICE_CREAM","amount":"10","message":"yum","recentCount":3,"expireDuration":60,` + sender + `}`,
			&dlive.ChatGift{Type: dlive.ChatTypeGift, ID: "g1", Gift: dlive.DonationTypeIceCream, Amount: "10", Message: "yum", RecentCount: 3, ExpireDuration: 60,
				Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"follow", `{"__typename":"ChatFollow","type":"Follow","id":"f1",` + sender + `}`,
			&dlive.ChatFollow{Type: dlive.ChatTypeFollow, ID: "f1", Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"host", `{"__typename":"ChatHost","type":"Host","id":"h1","viewer":42,` + sender + `}`,
			&dlive.ChatHost{Type: dlive.ChatTypeHost, ID: "h1", Viewer: 42, Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"subscription", `{"__typename":"ChatSubscription","type":"Subscription","id":"s1","month":1,` + sender + `}`,
			&dlive.ChatSubscription{Type: dlive.ChatTypeSubscription, ID: "s1", Month: 1, Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"extend sub", `{"__typename":"ChatExtendSub","type":"ExtendSub","id":"e1","month":2,"length":5,` + sender + `}`,
			&dlive.ChatExtendSub{Type: dlive.ChatTypeExtendSub, ID: "e1", Month: 2, Length: 5, Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"gift sub", `{"__typename":"ChatGiftSub","type":"GiftSub","id":"gs1","count":5,"receiver":"lucky",` + sender + `}`,
			&dlive.ChatGiftSub{Type: dlive.ChatTypeGiftSub, ID: "gs1", Count: 5, Receiver: "lucky", Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"gift sub receive", `{"__typename":"ChatGiftSubReceive","type":"GiftSubReceive","id":"gr1","gifter":"kind",` + sender + `}`,
			&dlive.ChatGiftSubReceive{Type: dlive.ChatTypeGiftSubReceive, ID: "gr1", Gifter: "kind", Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"sub streak", `{"__typename":"ChatSubStreak","type":"SubStreak","id":"ss1","length":7,` + sender + `}`,
			&dlive.ChatSubStreak{Type: dlive.ChatTypeSubStreak, ID: "ss1", Length: 7, Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"delete", `{"__typename":"ChatDelete","type":"Delete","ids":["t1","t2"]}`,
			&dlive.ChatDelete{Type: dlive.ChatTypeDelete, IDs: []string{"t1", "t2"}}},
		{"ban", `{"__typename":"ChatBan","type":"Ban","id":"b1","bannedBy":` + modJSON + `,"bannedByRoomRole":"Moderator",` + sender + `}`,
			&dlive.ChatBan{Type: dlive.ChatTypeBan, ID: "b1", BannedBy: mod, BannedByRoomRole: dlive.RoomRoleModerator,
				Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"timeout", `{"__typename":"ChatTimeout","type":"Timeout","id":"to1","minute":10,"bannedBy":` + modJSON + `,"bannedByRoomRole":"Owner",` + sender + `}`,
			&dlive.ChatTimeout{Type: dlive.ChatTypeTimeout, ID: "to1", Minute: 10, BannedBy: mod, BannedByRoomRole: dlive.RoomRoleOwner,
				Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"moderator", `{"__typename":"ChatModerator","type":"Mod","id":"m1","add":true,` + sender + `}`,
			&dlive.ChatModerator{Type: dlive.ChatTypeMod, ID: "m1", Add: true, Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"chat mode", `{"__typename":"ChatChangeMode","type":"ChatMode","mode":"SUBONLY"}`,
			&dlive.ChatChangeMode{Type: dlive.ChatTypeChatMode, Mode: dlive.ChatModeTypeSubonly}},
		{"emote", `{"__typename":"ChatEmoteAdd","type":"Emote","id":"em1","emote":"pog",` + sender + `}`,
			&dlive.ChatEmoteAdd{Type: dlive.ChatTypeEmote, ID: "em1", Emote: "pog", Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"treasure chest value", `{"__typename":"ChatTCValueAdd","type":"TCValue","id":"tc1","amount":"5","totalAmount":"50",` + sender + `}`,
			&dlive.ChatTCValueAdd{Type: dlive.ChatTypeTCValue, ID: "tc1", Amount: "5", TotalAmount: "50", Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"clip", `{"__typename":"ChatClip","type":"Clip","id":"c1","url":"https://clips/1",` + sender + `}`,
			&dlive.ChatClip{Type: dlive.ChatTypeClip, ID: "c1", URL: "https://clips/1", Sender: fan, Subscribing: true, Role: dlive.RoleNone, RoomRole: dlive.RoomRoleMember}},
		{"live", `{"__typename":"ChatLive","type":"Live"}`, &dlive.ChatLive{Type: dlive.ChatTypeLive}},
		{"offline", `{"__typename":"ChatOffline","type":"Offline"}`, &dlive.ChatOffline{Type: dlive.ChatTypeOffline}},
		{"unknown kind", `{"__typename":"ChatRaid","type":"Raid","id":"r1","viewers":9}`,
			&dlive.UnknownChatMessage{Typename: "ChatRaid", Type: "Raid", Raw: json.RawMessage(`{"__typename":"ChatRaid","type":"Raid","id":"r1","viewers":9}`)}},
		{"malformed known kind", `{"__typename":"ChatText","type":"Message","id":"t9","content":7}`,
			&dlive.UnknownChatMessage{Typename: "ChatText", Type: dlive.ChatTypeMessage, Raw: json.RawMessage(`{"__typename":"ChatText","type":"Message","id":"t9","content":7}`)}},
		{"no typename", `{"type":"Live"}`, &dlive.UnknownChatMessage{Type: dlive.ChatTypeLive, Raw: json.RawMessage(`{"type":"Live"}`)}},
		{"null", `null`, &dlive.UnknownChatMessage{Raw: json.RawMessage(`null`)}},
	}
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})
	conn := srv.next()
	start := conn.expect("start")
	var batch []string
	for _, tt := range tests {
		batch = append(batch, tt.json)
	}
	conn.data(start.ID, "streamMessageReceived", "["+strings.Join(batch, ",")+"]")
	for _, tt := range tests {
		got := loop.event()
		if u, ok := got.(*dlive.UnknownChatMessage); ok {
			if u.Err == nil {
				t.Errorf("%s: the unknown event has no Err", tt.name)
			}
		}
		if d := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(dlive.UnknownChatMessage{}, "Err")); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
	// The stream went on past the unknown ones.
	conn.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"f2"}]`)
	if e, ok := loop.event().(*dlive.ChatFollow); !ok || e.ID != "f2" {
		t.Errorf("after the unknown kinds: %#v, want the ChatFollow f2", e)
	}
}

// Treasure chest events decode from an object and from a list.
func TestSubscribeTreasureChestObjectOrList(t *testing.T) {
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.TreasureChestMessage, error] {
		return c.Chat.SubscribeTreasureChest(ctx, "dlive-12345678")
	})
	conn := srv.next()
	start := conn.expect("start")
	if !strings.Contains(string(start.Payload), "treasureChestMessageReceived") {
		t.Errorf("start = %s, want the treasure chest subscription", start.Payload)
	}
	conn.data(start.ID, "treasureChestMessageReceived", `{"__typename":"TreasureChestValueUpdated","type":"ValueUpdated","value":"120"}`)
	conn.data(start.ID, "treasureChestMessageReceived", `[{"__typename":"TreasureChestGiveawayStarted","type":"GiveawayStarted","endTime":"1718","pricePool":"99","durationInSeconds":300},`+
		`{"__typename":"TreasureChestReadyToCollect","type":"ReadyToCollect"},{"__typename":"TreasureChestGoldenKey","type":"GoldenKey"}]`)
	want := []dlive.TreasureChestMessage{
		&dlive.TreasureChestValueUpdated{Type: dlive.TreasureChestMessageTypeValueUpdated, Value: "120"},
		&dlive.TreasureChestGiveawayStarted{Type: dlive.TreasureChestMessageTypeGiveawayStarted, EndTime: "1718", PricePool: "99", DurationInSeconds: 300},
		&dlive.TreasureChestReadyToCollect{Type: dlive.TreasureChestMessageTypeReadyToCollect},
		&dlive.UnknownTreasureChestMessage{Typename: "TreasureChestGoldenKey", Type: "GoldenKey", Raw: json.RawMessage(`{"__typename":"TreasureChestGoldenKey","type":"GoldenKey"}`)},
	}
	for i, w := range want {
		if d := cmp.Diff(w, loop.event(), cmpopts.IgnoreFields(dlive.UnknownTreasureChestMessage{}, "Err")); d != "" {
			t.Errorf("event %d (-want +got):\n%s", i, d)
		}
	}
}

// A dropped connection is replaced: the new one carries a new token from
// the source and starts the subscription again, and the next event
// arrives.
func TestSubscribeReconnectsWithNewToken(t *testing.T) {
	srv := newWSServer(t)
	src := &tokens{}
	c := newSubscriber(t, srv, src)
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})
	first := srv.next()
	start := first.expect("start")
	first.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"before"}]`)
	loop.event()
	first.drop()

	second := srv.next()
	if first.token != "tok-1" || second.token != "tok-2" {
		t.Errorf("tokens = %q then %q, want tok-1 then tok-2 (a new token for each connection)", first.token, second.token)
	}
	again := second.expect("start")
	if again.ID != start.ID || string(again.Payload) != string(start.Payload) {
		t.Errorf("the new connection started %s %s, want %s %s", again.ID, again.Payload, start.ID, start.Payload)
	}
	second.data(again.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"after"}]`)
	if e, ok := loop.event().(*dlive.ChatFollow); !ok || e.ID != "after" {
		t.Errorf("after the reconnect: %#v, want the ChatFollow after", e)
	}
}

// A connection whose keep-alives stop is replaced, and the subscription
// resumes on the new one.
func TestSubscribeKeepAliveWatchdog(t *testing.T) {
	srv := newWSServer(t)
	// A second's interval: the watchdog gives up after 3 s of silence,
	// which leaves the test that long, under any load, to send its event
	// on the next connection before that one looks silent too.
	c := newSubscriber(t, srv, &tokens{}, dlive.WithSubscriptionKeepAlive(time.Second))
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})
	silent := srv.next()
	silent.expect("start")
	// The server says nothing more on this connection.
	next := srv.next()
	start := next.expect("start")
	select {
	case <-silent.closed:
	case <-time.After(wait):
		t.Error("the silent connection was not closed")
	}
	next.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"resumed"}]`)
	if e, ok := loop.event().(*dlive.ChatFollow); !ok || e.ID != "resumed" {
		t.Errorf("after the watchdog: %#v, want the ChatFollow resumed", e)
	}
}

// Cancelling the context ends the iteration with the context's error,
// closes the connection and leaves no goroutine.
func TestSubscribeCancel(t *testing.T) {
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})
	conn := srv.next()
	conn.expect("start")
	loop.cancel()
	if _, err := loop.next(); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	loop.ended()
	conn.expect("stop")
	select {
	case <-conn.closed:
	case <-time.After(wait):
		t.Fatal("the connection stayed open")
	}
	noSubscriptionGoroutines(t)
}

// Two streamers share one connection, told apart by id; each gets its
// own events, and the connection stays for the one left when the other
// ends.
func TestSubscribeTwoStreamersOneConnection(t *testing.T) {
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	a := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "streamer-a")
	})
	conn := srv.next()
	startA := conn.expect("start")
	b := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "streamer-b")
	})
	startB := conn.expect("start")
	if startA.ID == startB.ID {
		t.Fatalf("both subscriptions have id %q", startA.ID)
	}
	if !strings.Contains(string(startB.Payload), `"streamer":"streamer-b"`) {
		t.Errorf("the second start = %s, want streamer-b", startB.Payload)
	}
	conn.data(startB.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"to-b"}]`)
	conn.data(startA.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"to-a"}]`)
	if e := a.event().(*dlive.ChatFollow); e.ID != "to-a" {
		t.Errorf("a got %s", e.ID)
	}
	if e := b.event().(*dlive.ChatFollow); e.ID != "to-b" {
		t.Errorf("b got %s", e.ID)
	}
	b.breakLoop()
	conn.data(startB.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"ignored"}]`)
	b.ended()
	if m := conn.expect("stop"); m.ID != startB.ID {
		t.Errorf("stop %q, want b's %q", m.ID, startB.ID)
	}
	conn.data(startA.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"still-a"}]`)
	if e := a.event().(*dlive.ChatFollow); e.ID != "still-a" {
		t.Errorf("a got %s after b left", e.ID)
	}
	select {
	case extra := <-srv.conns:
		t.Errorf("a second connection came (token %s)", extra.token)
	default:
	}
}

// A server that keeps refusing fresh tokens ends the iteration with an
// error matching ErrSubscriptionRefused that holds the server's
// *SubscriptionError, after asking the source for a new token each time
// and invalidating the refused ones; the token is in no error text.
func TestSubscribeRefusedTokens(t *testing.T) {
	srv := newWSServer(t)
	srv.refuse = func(string) bool { return true }
	src := &tokens{}
	// Backoffs of at most 40 and 80 ms, and 3 s for each handshake: a
	// shorter interval lets a busy machine time a handshake out, which
	// is no refusal.
	c := newSubscriber(t, srv, src, dlive.WithSubscriptionKeepAlive(time.Second))
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})
	_, err := loop.next()
	loop.ended()
	if !errors.Is(err, dlive.ErrSubscriptionRefused) {
		t.Fatalf("err = %v, want ErrSubscriptionRefused", err)
	}
	var se *dlive.SubscriptionError
	if !errors.As(err, &se) || se.Type != "connection_error" {
		t.Errorf("err = %v, want a *SubscriptionError of connection_error", err)
	}
	for _, e := range leaktest.Chain(err) {
		if strings.Contains(e.Error(), "tok-") {
			t.Errorf("an error quotes the token: %q", e.Error())
		}
	}
	if n := src.asked(); n != 3 {
		t.Errorf("the source was asked %d times, want 3", n)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if d := cmp.Diff([]string{"tok-1", "tok-2", "tok-3"}, src.invalidated); d != "" {
		t.Errorf("invalidated (-want +got):\n%s", d)
	}
}

// A server error for one subscription ends that one with a
// *SubscriptionError; the connection's other subscription goes on.
func TestSubscribeServerErrorEndsOne(t *testing.T) {
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	a := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "streamer-a")
	})
	conn := srv.next()
	startA := conn.expect("start")
	b := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "no-such-streamer")
	})
	startB := conn.expect("start")
	conn.write(wsMessage{ID: startB.ID, Type: "error", Payload: json.RawMessage(`{"message":"streamer not found"}`)})
	_, err := b.next()
	var se *dlive.SubscriptionError
	if !errors.As(err, &se) || se.Type != "error" || se.Message != "streamer not found" {
		t.Errorf("err = %v, want the server's error", err)
	}
	b.ended()
	conn.data(startA.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"a"}]`)
	if e := a.event().(*dlive.ChatFollow); e.ID != "a" {
		t.Errorf("a got %s", e.ID)
	}
}

// A loop that falls behind by more than the buffer ends with
// ErrSlowConsumer after the events it buffered, and the connection's
// other subscription gets its events.
func TestSubscribeSlowConsumer(t *testing.T) {
	srv := newWSServer(t)
	c := newSubscriber(t, srv, &tokens{})
	slow := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "streamer-slow")
	})
	conn := srv.next()
	startSlow := conn.expect("start")
	other := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "streamer-other")
	})
	startOther := conn.expect("start")

	// slow's loop holds its first event, unread by the test, while 300
	// more arrive: 256 fit in its buffer.
	conn.data(startSlow.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"0"}]`)
	var batch []string
	for i := 1; i <= 300; i++ {
		batch = append(batch, fmt.Sprintf(`{"__typename":"ChatFollow","type":"Follow","id":"%d"}`, i))
	}
	conn.data(startSlow.ID, "streamMessageReceived", "["+strings.Join(batch, ",")+"]")
	if m := conn.expect("stop"); m.ID != startSlow.ID {
		t.Fatalf("stop %q, want the slow subscription's %q", m.ID, startSlow.ID)
	}
	conn.data(startOther.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"other"}]`)
	if e := other.event().(*dlive.ChatFollow); e.ID != "other" {
		t.Errorf("the other subscription got %s", e.ID)
	}
	// The first event may have been taken from the buffer before the
	// batch came; either way the events arrive in order, then the error.
	want := 0
	for {
		e, err := slow.next()
		if err != nil {
			if !errors.Is(err, dlive.ErrSlowConsumer) {
				t.Errorf("err = %v, want ErrSlowConsumer", err)
			}
			break
		}
		if id := e.(*dlive.ChatFollow).ID; id != fmt.Sprint(want) {
			t.Fatalf("event %s, want %d", id, want)
		}
		want++
	}
	if want < 256 || want > 258 {
		t.Errorf("%d events before the error, want the buffer's 256 plus the one or two the loop held", want)
	}
	slow.ended()
}

// The token goes to the subscription endpoint's host only: a handshake
// redirected elsewhere fails without following, and a plain ws:// URL to
// another host than a loopback one is refused.
func TestSubscribeTokenStaysOnItsHost(t *testing.T) {
	elsewhere := newWSServer(t)
	hits := make(chan struct{}, 100)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits <- struct{}{}
		http.Redirect(w, r, strings.Replace(elsewhere.url, "ws://", "http://", 1), http.StatusFound)
	}))
	defer redirect.Close()
	c, err := dlive.NewClient(&tokens{}, dlive.WithSubscriptionURL("ws"+strings.TrimPrefix(redirect.URL, "http")),
		dlive.WithSubscriptionKeepAlive(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// The client retries the redirected handshake; each attempt must
		// stay off the other host.
		<-hits
		<-hits
		cancel()
	}()
	for _, err := range c.Chat.Subscribe(ctx, "dlive-12345678") {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want the context's", err)
		}
	}
	select {
	case conn := <-elsewhere.conns:
		t.Errorf("the redirect target got a connection with token %q", conn.token)
	default:
	}

	for _, u := range []string{"ws://dlive.example/ws", "https://api-ws.dlive.tv", "wss://", "::"} {
		if _, err := dlive.NewClient(&tokens{}, dlive.WithSubscriptionURL(u)); err == nil {
			t.Errorf("WithSubscriptionURL(%q) was accepted", u)
		}
	}
}

type failingTokens struct{}

var errNoToken = errors.New("no token today")

func (failingTokens) Token() (*oauth2.Token, error) { return nil, errNoToken }

// A token source that keeps failing ends the iteration with its error,
// and the server is never asked.
func TestSubscribeTokenSourceFails(t *testing.T) {
	srv := newWSServer(t)
	c, err := dlive.NewClient(failingTokens{}, dlive.WithSubscriptionURL(srv.url), dlive.WithSubscriptionKeepAlive(25*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
		return c.Chat.Subscribe(ctx, "dlive-12345678")
	})
	if _, err := loop.next(); !errors.Is(err, errNoToken) || errors.Is(err, dlive.ErrSubscriptionRefused) {
		t.Errorf("err = %v, want the source's error", err)
	}
	loop.ended()
	select {
	case conn := <-srv.conns:
		t.Errorf("the server got a connection (token %q)", conn.token)
	default:
	}
}

// Only the close codes that mean an unauthorized or forbidden connection
// count as refusals of the token: a server that closes with graphql-ws's
// other 44xx codes (a bad request, an init timeout, too many init
// requests) keeps its token, and the client goes on reconnecting until
// one is acknowledged.
func TestSubscribeCloseCodes(t *testing.T) {
	for _, tc := range []struct {
		code    websocket.StatusCode
		refusal bool
	}{
		{4400, false}, // bad request
		{4408, false}, // connection_init timeout
		{4429, false}, // too many connection_init requests
		{4500, false}, // internal server error
		{4401, true},  // unauthorized
		{4403, true},  // forbidden
	} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			srv := newWSServer(t)
			var closes atomic.Int32
			srv.closeWith = func(string) websocket.StatusCode {
				if closes.Add(1) <= 3 {
					return tc.code
				}
				return 0
			}
			src := &tokens{}
			// Backoffs of at most 40, 80 and 160 ms, and 3 s for each
			// handshake even on a busy machine.
			c := newSubscriber(t, srv, src, dlive.WithSubscriptionKeepAlive(time.Second))
			loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
				return c.Chat.Subscribe(ctx, "dlive-12345678")
			})
			if tc.refusal {
				_, err := loop.next()
				if !errors.Is(err, dlive.ErrSubscriptionRefused) {
					t.Errorf("err = %v, want ErrSubscriptionRefused", err)
				}
				src.mu.Lock()
				defer src.mu.Unlock()
				if d := cmp.Diff([]string{"tok-1", "tok-2", "tok-3"}, src.invalidated); d != "" {
					t.Errorf("invalidated (-want +got):\n%s", d)
				}
				return
			}
			conn := srv.next()
			start := conn.expect("start")
			conn.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"at-last"}]`)
			if e, ok := loop.event().(*dlive.ChatFollow); !ok || e.ID != "at-last" {
				t.Errorf("event = %#v, want the ChatFollow at-last", e)
			}
			src.mu.Lock()
			defer src.mu.Unlock()
			if len(src.invalidated) != 0 {
				t.Errorf("invalidated %q after close code %d, which refuses no token", src.invalidated, tc.code)
			}
		})
	}
}

// flakyTokens fails like a network that is down for its first fails
// calls, then hands out tokens.
type flakyTokens struct {
	tokens
	fails int
	err   error
}

func (s *flakyTokens) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	if s.fails > 0 {
		s.fails--
		s.mu.Unlock()
		return nil, s.err
	}
	s.mu.Unlock()
	return s.tokens.Token()
}

// A token source that fails for a while because the network or the
// authorization server does (a refresh due while the machine wakes up)
// is retried like a dropped connection: the subscription goes on once a
// token comes, however many failures came first.
func TestSubscribeTokenSourceTransientFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"network", fmt.Errorf("auth: dlive: refreshing: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("network is unreachable")})},
		{"server", fmt.Errorf("auth: dlive: refreshing: %w", &auth.Error{StatusCode: http.StatusBadGateway})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newWSServer(t)
			src := &flakyTokens{fails: 5, err: tc.err}
			c, err := dlive.NewClient(src, dlive.WithSubscriptionURL(srv.url), dlive.WithSubscriptionKeepAlive(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			loop := consume(t, func(ctx context.Context) iter.Seq2[dlive.ChatMessage, error] {
				return c.Chat.Subscribe(ctx, "dlive-12345678")
			})
			conn := srv.next()
			start := conn.expect("start")
			conn.data(start.ID, "streamMessageReceived", `[{"__typename":"ChatFollow","type":"Follow","id":"online"}]`)
			if e, ok := loop.event().(*dlive.ChatFollow); !ok || e.ID != "online" {
				t.Errorf("event = %#v, want the ChatFollow online", e)
			}
		})
	}
}
