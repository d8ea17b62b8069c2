package dlivetest

// One subscription connection, in the legacy subscriptions-transport-ws
// protocol as DLive documents it.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/sandbox"
)

// subprotocol is the only WebSocket subprotocol DLive speaks.
const subprotocol = "graphql-ws"

// statusUnauthorized closes a connection refused for its token: 44xx
// codes mirror HTTP statuses, as graphql-ws servers' do.
const statusUnauthorized websocket.StatusCode = 4401

// clientMessage is what a client sends.
type clientMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// serverMessage is what the endpoint sends.
type serverMessage struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Payload any    `json:"payload,omitempty"`
}

// errorPayload is the payload of connection_error and error: a GraphQL
// error, as subscriptions-transport-ws sends it.
type errorPayload struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// subscription is a started operation.
type subscription struct {
	field, key, streamer string // key: the field's response key
}

// subConn is one connection. Its handler goroutine reads; its writer
// goroutine writes every message, in the order they were queued.
type subConn struct {
	h      *hub
	ws     *websocket.Conn
	reqCtx context.Context // of the upgrade request, for sandbox.Authenticate
	ctx    context.Context // ends with the connection
	acked  atomic.Bool
	// closing is set once a close is queued: the messages read after it
	// are not answered.
	closing atomic.Bool

	mu    sync.Mutex
	subs  map[string]subscription // by id
	queue []outgoing
	wake  chan struct{} // one pending signal that queue grew
}

// outgoing is one queued message, or the close that ends the queue.
type outgoing struct {
	msg   []byte
	due   time.Time // zero: at once
	close *closeFrame
}

type closeFrame struct {
	code   websocket.StatusCode
	reason string
}

func serveConn(h *hub, w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{subprotocol}})
	if err != nil {
		return // Accept answered the request
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &subConn{h: h, ws: ws, reqCtx: r.Context(), ctx: ctx, subs: map[string]subscription{}, wake: make(chan struct{}, 1)}
	if !h.add(c) {
		ws.CloseNow()
		return
	}
	defer h.remove(c)
	defer ws.CloseNow()
	if ws.Subprotocol() != subprotocol {
		// Closed by the writer, so that the hub's Close can cut a client
		// that does not answer the close.
		c.close(websocket.StatusProtocolError, "the endpoint speaks subprotocol graphql-ws only: offer it in Sec-WebSocket-Protocol")
	}
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			c.fail("", "the endpoint takes text messages, JSON")
			continue
		}
		c.handle(data)
	}
}

// handle answers one client message.
func (c *subConn) handle(data []byte) {
	if c.closing.Load() {
		return
	}
	var m clientMessage
	if err := json.Unmarshal(data, &m); err != nil {
		c.fail("", "the message is not a JSON object with a type: "+err.Error())
		return
	}
	switch m.Type {
	case "connection_init":
		c.init(m.Payload)
	case "start":
		if !c.acked.Load() {
			c.refuse(statusUnauthorized, "start before connection_ack: send connection_init with the access token first")
			return
		}
		c.start(m.ID, m.Payload)
	case "stop":
		c.stop(m.ID)
	case "connection_terminate":
		c.close(websocket.StatusNormalClosure, "")
	default:
		c.fail(m.ID, fmt.Sprintf("unknown message type %q: send connection_init, start, stop or connection_terminate", m.Type))
	}
}

// init authenticates the connection with the sandbox's token check: the
// token goes bare, as DLive's API takes it in its Authorization header.
func (c *subConn) init(payload json.RawMessage) {
	if c.acked.Load() {
		c.fail("", "connection_init was already acknowledged: send it once per connection")
		return
	}
	var p struct {
		Authorization string `json:"authorization"`
	}
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &p); err != nil {
			c.refuse(statusUnauthorized, "connection_init's payload must be an object with the access token, a string, in authorization")
			return
		}
	}
	// DLive asks no scope to subscribe; an application token will do.
	_, err := sandbox.Authenticate(c.reqCtx, p.Authorization)
	switch {
	case errors.Is(err, authserver.ErrNoToken):
		c.refuse(statusUnauthorized, "connection_init carries no access token: send it in payload.authorization")
		return
	case err != nil && hasScheme(p.Authorization):
		c.refuse(statusUnauthorized, `payload.authorization has a scheme: send the bare access token, without "Bearer "`)
		return
	case err != nil:
		c.refuse(statusUnauthorized, "the access token is unknown, expired or revoked: get a new one and reconnect")
		return
	}
	c.acked.Store(true)
	c.h.acknowledged(p.Authorization)
	c.send(serverMessage{Type: "connection_ack"})
}

// hasScheme reports whether token starts with an authorization scheme,
// such as "Bearer ".
func hasScheme(token string) bool {
	scheme, _, ok := strings.Cut(token, " ")
	return ok && strings.EqualFold(scheme, "Bearer")
}

// start validates a subscription against the schema, as the API validates
// its queries, and starts it. A start with an id in use replaces it.
func (c *subConn) start(id string, payload json.RawMessage) {
	if id == "" {
		c.fail("", "start has no id: give each subscription an id of its own")
		return
	}
	sub, err := c.h.api.subscription(payload)
	if err != nil {
		c.send(serverMessage{ID: id, Type: "error", Payload: err})
		return
	}
	c.mu.Lock()
	c.subs[id] = sub
	c.mu.Unlock()
	c.h.notify()
}

// stop ends the subscription id and answers complete; an unknown id is
// ignored, as subscriptions-transport-ws does.
func (c *subConn) stop(id string) {
	c.mu.Lock()
	_, ok := c.subs[id]
	delete(c.subs, id)
	c.mu.Unlock()
	if ok {
		c.h.notify()
		c.send(serverMessage{ID: id, Type: "complete"})
	}
}

// subscribed counts c's subscriptions to streamer.
func (c *subConn) subscribed(streamer string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.subs {
		if s.streamer == streamer {
			n++
		}
	}
	return n
}

// deliver queues event for each of c's subscriptions to field on
// streamer: streamMessageReceived is a list, treasureChestMessageReceived
// one object.
func (c *subConn) deliver(field, streamer string, event []byte, due time.Time) {
	value := event
	if field == fieldChat {
		value = append(append([]byte{'['}, event...), ']')
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, s := range c.subs {
		if s.field != field || s.streamer != streamer {
			continue
		}
		data, _ := json.Marshal(map[string]json.RawMessage{s.key: value})
		msg, _ := json.Marshal(serverMessage{ID: id, Type: "data", Payload: map[string]json.RawMessage{"data": data}})
		c.queueLocked(outgoing{msg: msg, due: due})
	}
}

// send queues m, to be written at once.
func (c *subConn) send(m serverMessage) {
	msg, _ := json.Marshal(m)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queueLocked(outgoing{msg: msg})
}

// fail answers an error for id ("" for the connection) and keeps the
// connection, as subscriptions-transport-ws does with a bad message.
func (c *subConn) fail(id, message string) {
	c.send(serverMessage{ID: id, Type: "error", Payload: errorPayload{Message: message}})
}

// refuse answers connection_error and closes the connection with code.
func (c *subConn) refuse(code websocket.StatusCode, message string) {
	c.send(serverMessage{Type: "connection_error", Payload: errorPayload{Message: message}})
	c.close(code, message)
}

// close closes the connection with code after the messages queued.
func (c *subConn) close(code websocket.StatusCode, reason string) {
	if len(reason) > 123 {
		reason = reason[:123]
	}
	c.closing.Store(true)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queueLocked(outgoing{close: &closeFrame{code, reason}})
}

func (c *subConn) queueLocked(o outgoing) {
	c.queue = append(c.queue, o)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// next returns the head of the queue when it is due, or how long until it
// is; 0 when the queue is empty.
func (c *subConn) next(now time.Time) (outgoing, time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		return outgoing{}, 0, false
	}
	head := c.queue[0]
	if wait := head.due.Sub(now); !head.due.IsZero() && wait > 0 {
		return outgoing{}, wait, false
	}
	c.queue[0] = outgoing{}
	c.queue = c.queue[1:]
	return head, 0, true
}

var keepAlive = []byte(`{"type":"ka"}`)

// write is the connection's writer goroutine: the queue, in order, each
// message when due, and a keep-alive at every tick once acknowledged.
func (c *subConn) write() {
	defer c.h.wg.Done()
	defer c.ws.CloseNow()
	ka := time.NewTicker(c.h.keepAlive)
	defer ka.Stop()
	due := time.NewTimer(0)
	defer due.Stop()
	for {
		o, wait, ok := c.next(time.Now())
		if ok {
			if o.close != nil {
				c.ws.Close(o.close.code, o.close.reason)
				return
			}
			if c.ws.Write(c.ctx, websocket.MessageText, o.msg) != nil {
				return
			}
			continue
		}
		var dueC <-chan time.Time
		if wait > 0 {
			due.Reset(wait)
			dueC = due.C
		}
		select {
		case <-c.ctx.Done():
			return
		case <-c.wake:
		case <-dueC:
		case <-ka.C:
			if c.acked.Load() && !c.h.withholdKeepAlive() && c.ws.Write(c.ctx, websocket.MessageText, keepAlive) != nil {
				return
			}
		}
	}
}

// subscription checks a start's payload: a subscription document valid
// against the schema, with its variables, whose streamer exists.
func (a *api) subscription(payload json.RawMessage) (subscription, *errorPayload) {
	p, err := decodeRequest(bytes.NewReader(payload))
	if err != nil || p.Query == "" {
		return subscription{}, &errorPayload{Message: "start's payload must be an object with the subscription in query"}
	}
	doc, errs := a.exec.document(p.Query)
	if errs != nil {
		return subscription{}, graphQLError(errs)
	}
	op, refusal := pickOperation(doc, p.OperationName, "the query has no operation: send one subscription")
	switch {
	case refusal != nil:
		return subscription{}, &errorPayload{Message: refusal.Message}
	case op.Operation != ast.Subscription:
		return subscription{}, &errorPayload{Message: "start takes a subscription: send queries and mutations over HTTP"}
	}
	vars, err := validator.VariableValues(a.exec.schema, op, p.Variables)
	if err != nil {
		return subscription{}, graphQLError(coded("GRAPHQL_VALIDATION_FAILED", asList(err)...))
	}
	var fields []*ast.Field
	a.exec.eachField(op.SelectionSet, a.exec.schema.Subscription, vars, func(f *ast.Field) { fields = append(fields, f) })
	if len(fields) != 1 || (fields[0].Name != fieldChat && fields[0].Name != fieldTreasureChest) {
		return subscription{}, &errorPayload{Message: "a subscription selects one field: " + fieldChat + " or " + fieldTreasureChest}
	}
	f := fields[0]
	streamer, _ := f.ArgumentMap(vars)["streamer"].(string)
	a.mu.Lock()
	known := a.user(streamer) != nil
	a.mu.Unlock()
	if !known {
		return subscription{}, &errorPayload{Message: fmt.Sprintf("streamer %q not found: name the streamer by username", streamer),
			Extensions: map[string]any{"code": "STREAMER_NOT_FOUND"}}
	}
	return subscription{field: f.Name, key: f.Alias, streamer: streamer}, nil
}

// graphQLError is the first of errs, as one error payload.
func graphQLError(errs gqlerror.List) *errorPayload {
	p := &errorPayload{Message: errs[0].Message, Extensions: errs[0].Extensions}
	if len(errs) > 1 {
		p.Message += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return p
}
