package dlivetest

// The subscription endpoint: DLive's GraphQL subscriptions over a
// WebSocket, in the legacy subscriptions-transport-ws protocol
// (subscription_conn.go), and the controls tests drive it with.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/onair-go/onair/internal/sandbox"
)

const (
	// subscriptionPath is where the sandbox serves the WebSocket; DLive
	// serves it at the root of its own host.
	subscriptionPath = "/subscriptions"
	// defaultKeepAlive is DLive's documented keep-alive interval.
	defaultKeepAlive = 25 * time.Second
)

// The root fields of DLive's Subscription type.
const (
	fieldChat          = "streamMessageReceived"
	fieldTreasureChest = "treasureChestMessageReceived"
)

// options are the sandbox options only DLive has, in sandbox.Config.Extra.
type options struct {
	keepAlive time.Duration
}

func dliveOptions(c *sandbox.Config) *options {
	o, _ := c.Extra.(*options)
	if o == nil {
		o = &options{}
		c.Extra = o
	}
	return o
}

// WithKeepAlive makes the subscription endpoint send its keep-alive
// message ({"type":"ka"}) every d instead of DLive's 25 seconds; d <= 0
// keeps 25 seconds.
func WithKeepAlive(d time.Duration) Option {
	return func(c *sandbox.Config) { dliveOptions(c).keepAlive = d }
}

// hub is the subscription endpoint of one sandbox: its connections, what
// each subscribes to, and the fault controls. Events are queued on each
// connection and written by its own goroutine, so that a mutation that
// publishes one never waits for a client.
type hub struct {
	api       *api
	keepAlive time.Duration

	mu sync.Mutex
	// skippedKeepAlive, when tests set it, is called each time
	// StopKeepAlives withholds a keep-alive.
	skippedKeepAlive func()
	conns            map[*subConn]bool // open and not dropped
	closed           bool
	delay            time.Duration
	keepAlivesStop   bool
	tokens           []string      // of every acknowledged connection, in order
	changed          chan struct{} // closed when a subscription starts or ends
	wg               sync.WaitGroup
}

func newHub(a *api, keepAlive time.Duration) *hub {
	if keepAlive <= 0 {
		keepAlive = defaultKeepAlive
	}
	return &hub{api: a, keepAlive: keepAlive, conns: map[*subConn]bool{}, changed: make(chan struct{})}
}

// enter counts a request in, unless the sandbox is closing.
func (h *hub) enter() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.wg.Add(1)
	return true
}

// add registers an accepted connection and starts its writer.
func (h *hub) add(c *subConn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.conns[c] = true
	h.wg.Add(1)
	go c.write()
	return true
}

// remove forgets c; it is gone from the counts at once.
func (h *hub) remove(c *subConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[c] {
		delete(h.conns, c)
		h.notifyLocked()
	}
}

// notify tells the waiters of WaitSubscribed that the subscriptions
// changed.
func (h *hub) notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.notifyLocked()
}

func (h *hub) notifyLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// acknowledged records the token a connection was opened with.
func (h *hub) acknowledged(token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tokens = append(h.tokens, token)
}

// withholdKeepAlive reports whether StopKeepAlives is in force, and tells
// skippedKeepAlive when it is.
func (h *hub) withholdKeepAlive() bool {
	h.mu.Lock()
	stopped, skipped := h.keepAlivesStop, h.skippedKeepAlive
	h.mu.Unlock()
	if stopped && skipped != nil {
		skipped()
	}
	return stopped
}

// publish queues event, JSON, for every subscriber of field on streamer.
// Callers hold api.mu, so that events reach subscribers in the order the
// store changed.
func (h *hub) publish(field, streamer string, event []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var due time.Time
	if h.delay > 0 {
		due = time.Now().Add(h.delay)
	}
	for c := range h.conns {
		c.deliver(field, streamer, event, due)
	}
}

// emit publishes a test's event after checking it.
func (h *hub) emit(field, streamer string, event any) error {
	raw, err := json.Marshal(event)
	if err != nil {
		return fmt.Errorf("dlivetest: the event does not marshal to JSON: %w", err)
	}
	var probe struct {
		Typename string `json:"__typename"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return errors.New("dlivetest: the event must marshal to a JSON object: pass a map or a struct")
	}
	if probe.Typename == "" {
		return errors.New(`dlivetest: the event has no "__typename": set it to the event's kind, such as ChatText`)
	}
	a := h.api
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.user(streamer) == nil {
		return fmt.Errorf("dlivetest: there is no user %q in the sandbox: name the streamer by username", streamer)
	}
	h.publish(field, streamer, raw)
	return nil
}

// drop cuts every connection without a close frame.
func (h *hub) drop() {
	for _, c := range h.take() {
		c.ws.CloseNow()
	}
}

// take removes every connection from the hub and returns them, for the
// fault controls: events published after it reach none of them.
func (h *hub) take() []*subConn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := slices.Collect(maps.Keys(h.conns))
	clear(h.conns)
	h.notifyLocked()
	return out
}

// subscribed counts the subscriptions to streamer, both fields.
func (h *hub) subscribed(streamer string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for c := range h.conns {
		n += c.subscribed(streamer)
	}
	return n
}

// Close ends every connection and waits for their goroutines.
func (h *hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.drop()
	h.wg.Wait()
}

// hub returns the sandbox's subscription endpoint.
func (s *Server) hub() *hub {
	return s.s.State().(*api).events
}

// SubscriptionURL returns the URL of the sandbox's subscription WebSocket,
// such as ws://127.0.0.1:34567/subscriptions (wss:// after StartTLS): pass
// it to dlive.WithSubscriptionURL. It is empty until the server starts.
//
// The endpoint speaks DLive's legacy subscriptions-transport-ws protocol,
// subprotocol graphql-ws: connection_init with the bare access token in
// payload.authorization, then start, stop and connection_terminate; it
// answers connection_ack or connection_error, data (every field of each
// event, whatever the selection set), error and complete for a
// subscription's id, and {"type":"ka"} every 25 seconds (WithKeepAlive).
func (s *Server) SubscriptionURL() string {
	if s.URL == "" {
		return ""
	}
	return "ws" + strings.TrimPrefix(s.URL, "http") + subscriptionPath
}

// Emit delivers event to the subscribers of streamer's chat
// (streamMessageReceived), as one list of one event. event is anything
// that marshals to a JSON object with a "__typename", a map or a struct,
// of any kind, known to the schema or not; it is sent as it marshals.
// The chat messages, deletions, bans, follows and moderator removals made
// through the API are delivered without it.
func (s *Server) Emit(streamer string, event any) error {
	return s.hub().emit(fieldChat, streamer, event)
}

// EmitTreasureChest delivers event to the subscribers of streamer's
// treasure chest (treasureChestMessageReceived), as Emit does.
func (s *Server) EmitTreasureChest(streamer string, event any) error {
	return s.hub().emit(fieldTreasureChest, streamer, event)
}

// WaitSubscribed waits until at least n subscriptions to streamer (its
// chat or its treasure chest) are active, or ctx ends. The protocol
// acknowledges no start: a test waits here before it makes an event.
func (s *Server) WaitSubscribed(ctx context.Context, streamer string, n int) error {
	h := s.hub()
	for {
		h.mu.Lock()
		changed := h.changed
		h.mu.Unlock()
		have := h.subscribed(streamer)
		if have >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("dlivetest: waiting for %d subscription(s) to %s, %d active: %w", n, streamer, have, ctx.Err())
		}
	}
}

// SubscriptionTokens returns the access token each subscription connection
// was acknowledged with, oldest first, closed connections included: a test
// of a client's reconnection compares them.
func (s *Server) SubscriptionTokens() []string {
	h := s.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.tokens...)
}

// SubscriptionConnections returns how many subscription connections are
// open.
func (s *Server) SubscriptionConnections() int {
	h := s.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

// DropSubscriptions cuts every subscription connection without a close
// frame, as a network failure does; clients see an abnormal closure. Events
// made afterwards reach only connections opened afterwards.
func (s *Server) DropSubscriptions() { s.hub().drop() }

// CloseSubscriptions closes every subscription connection with code and
// reason (at most 123 bytes), after the events already queued on it.
// Events made afterwards reach only connections opened afterwards.
func (s *Server) CloseSubscriptions(code websocket.StatusCode, reason string) {
	for _, c := range s.hub().take() {
		c.close(code, reason)
	}
}

// StopKeepAlives stops the keep-alive messages of every subscription
// connection, open or to come, until ResumeKeepAlives: a client's
// watchdog should give up on the connection.
func (s *Server) StopKeepAlives() { s.setKeepAlives(true) }

// ResumeKeepAlives undoes StopKeepAlives.
func (s *Server) ResumeKeepAlives() { s.setKeepAlives(false) }

func (s *Server) setKeepAlives(stop bool) {
	h := s.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keepAlivesStop = stop
}

// DelayEvents delivers the subscription events made from now on d after
// they happen, in order; 0 delivers them at once again. Keep-alives are
// not delayed; the other messages of a connection keep their order, so a
// stop's complete queued behind a delayed event waits for it, as on a slow
// link.
func (s *Server) DelayEvents(d time.Duration) {
	h := s.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.delay = max(d, 0)
}

// ServeHTTP upgrades a request to a subscription connection.
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.enter() {
		http.Error(w, "the sandbox is closing", http.StatusServiceUnavailable)
		return
	}
	defer h.wg.Done()
	serveConn(h, w, r)
}
