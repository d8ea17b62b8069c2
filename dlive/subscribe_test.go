package dlive_test

import (
	"context"
	"encoding/json"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/onair-go/onair/dlive"
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
	t    *testing.T
	got  chan result[E] // unbuffered: the loop waits for the test
	quit chan struct{}  // closed: the loop breaks at its next value
	done chan struct{}  // closed when the loop has returned
}

type result[E any] struct {
	e   E
	err error
}

func consume[E any](t *testing.T, seq iter.Seq2[E, error]) *consumer[E] {
	c := &consumer[E]{t: t, got: make(chan result[E]), quit: make(chan struct{}), done: make(chan struct{})}
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
	loop := consume(t, c.Chat.Subscribe(context.Background(), "dlive-12345678"))

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
