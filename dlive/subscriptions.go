package dlive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/internal/hooks"
	"github.com/onair-go/onair/internal/redact"
)

// The subscriptions-transport-ws protocol, as DLive documents it.
const (
	subprotocol = "graphql-ws"

	msgConnectionInit  = "connection_init"
	msgConnectionAck   = "connection_ack"
	msgConnectionError = "connection_error"
	msgKeepAlive       = "ka"
	msgStart           = "start"
	msgStop            = "stop"
	msgData            = "data"
	msgError           = "error"
	msgComplete        = "complete"
)

const (
	// missedKeepAlives is how many keep-alive intervals a connection may
	// stay silent before the client replaces it.
	missedKeepAlives = 3
	// eventBuffer is how many events a subscription holds for a loop that
	// has not taken them yet.
	eventBuffer = 256
	// maxRefusals is how many tokens in a row the server may refuse
	// before the subscriptions end.
	maxRefusals = 3
	// readLimit bounds one message; a batch of chat events is far
	// smaller.
	readLimit = 4 << 20
)

// message is one message of the protocol, either way.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// startPayload is a start message's payload: the operation and its
// variables.
type startPayload struct {
	Query         string            `json:"query"`
	OperationName string            `json:"operationName"`
	Variables     map[string]string `json:"variables"`
}

// subscriptions is the WebSocket connection a Client's subscriptions
// share. The connection runs in one goroutine (run) from the first
// subscription to the end of the last; each subscription's iteration
// registers itself, takes its events from its own buffer, and waits for
// the connection's goroutine when it is the last to leave.
type subscriptions struct {
	url       string
	source    oauth2.TokenSource
	http      *http.Client
	keepAlive time.Duration
	hooks     onair.Hooks

	mu     sync.Mutex
	active map[string]*subscription // by id
	lastID uint64
	loop   *connLoop // nil when no subscription runs
}

// connLoop is one run of the connection's goroutine.
type connLoop struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when run returns
	wake   chan struct{} // a subscription arrived while no connection was wanted
	conn   *websocket.Conn
}

// subscription is one active subscription, as the connection sees it.
type subscription struct {
	id    string
	start []byte // the start message, sent on every connection
	// deliver hands a data message's payload to the iteration without
	// blocking; false means its buffer is full.
	deliver func(payload json.RawMessage) bool
	// end ends the iteration with err (nil: the server completed it).
	end func(err error)
}

// newSubscriptions checks cfg's subscription endpoint; the generated
// NewClient calls it.
func newSubscriptions(cfg apiclient.Config) (*subscriptions, error) {
	u, err := url.Parse(cfg.SubscriptionURL)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, fmt.Errorf("dlive: NewClient: WithSubscriptionURL(%q) is not a ws:// or wss:// URL with a host", cfg.SubscriptionURL)
	}
	if u.Scheme == "ws" && !loopback(u.Hostname()) {
		return nil, fmt.Errorf("dlive: NewClient: %w to %s: use wss://", auth.ErrInsecure, u.Host)
	}
	if cfg.SubscriptionKeepAlive < time.Millisecond {
		return nil, fmt.Errorf("dlive: NewClient: WithSubscriptionKeepAlive(%v) is below 1ms", cfg.SubscriptionKeepAlive)
	}
	hc := http.DefaultClient
	if cfg.HTTPClient != nil {
		hc = cfg.HTTPClient
	}
	dial := *hc
	// The token goes in the first message, to whatever host answered the
	// handshake: a redirect could send it elsewhere.
	dial.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &subscriptions{url: u.String(), source: cfg.Source, http: &dial, keepAlive: cfg.SubscriptionKeepAlive,
		hooks: cfg.Hooks, active: map[string]*subscription{}}, nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// subscribe runs one subscription for the iteration it returns.
func subscribe[E any](ctx context.Context, s *subscriptions, method string, start startPayload, codec eventCodec[E]) iter.Seq2[E, error] {
	return func(yield func(E, error) bool) {
		var zero E
		if start.Variables["streamer"] == "" {
			yield(zero, fmt.Errorf("dlive: %s: %w: the streamer is empty; pass a username", method, ErrBadArgument))
			return
		}
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		events := make(chan E, eventBuffer)
		ended := make(chan struct{})
		var endErr error
		sub := &subscription{
			deliver: func(payload json.RawMessage) bool {
				batch, _ := codec.events(payload) // errors alone end it: see dispatch
				for _, e := range batch {
					select {
					case events <- e:
					default:
						return false
					}
				}
				return true
			},
			end: func(err error) {
				endErr = err
				close(ended)
			},
		}
		s.add(sub, start)
		defer s.remove(sub)
		for {
			select {
			case e := <-events:
				if !handOver(ctx, s.hooks, e, yield) {
					return
				}
			case <-ended:
				// The events buffered before the end come first.
				for len(events) > 0 {
					if !handOver(ctx, s.hooks, <-events, yield) {
						return
					}
				}
				if endErr != nil {
					yield(zero, fmt.Errorf("dlive: %s(%q): %w", method, start.Variables["streamer"], endErr))
				}
				return
			case <-ctx.Done():
				yield(zero, ctx.Err())
				return
			}
		}
	}
}

// handOver yields e to the loop, through the Event hook when one is set,
// and reports whether the loop goes on.
func handOver[E any](ctx context.Context, h onair.Hooks, e E, yield func(E, error) bool) bool {
	if h.Event == nil {
		return yield(e, nil)
	}
	more := true
	ev := &onair.Event{Provider: "dlive", Source: "subscription", Name: eventName(e)}
	err := hooks.Run(ctx, func(ctx context.Context, handle func(context.Context) error) error {
		return h.Event(ctx, ev, handle)
	}, func(context.Context) error {
		more = yield(e, nil) // run at most once: a second yield would panic
		return nil
	})
	if errors.Is(err, hooks.ErrNotRun) {
		// A hook that did not run the loop's body must not drop the event.
		return yield(e, nil)
	}
	return more
}

// eventName is e's GraphQL typename.
func eventName(e any) string {
	switch e := e.(type) {
	case *UnknownChatMessage:
		return e.Typename
	case *UnknownTreasureChestMessage:
		return e.Typename
	}
	t := reflect.TypeOf(e)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// add registers sub, starts it on the connection if there is one, and
// starts the connection's goroutine if none runs.
func (s *subscriptions) add(sub *subscription, start startPayload) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastID++
	sub.id = strconv.FormatUint(s.lastID, 10)
	payload, _ := json.Marshal(start) // strings only: cannot fail
	sub.start, _ = json.Marshal(message{ID: sub.id, Type: msgStart, Payload: payload})
	s.active[sub.id] = sub
	if s.loop == nil {
		ctx, cancel := context.WithCancel(context.Background())
		s.loop = &connLoop{cancel: cancel, done: make(chan struct{}), wake: make(chan struct{}, 1)}
		go s.run(ctx, s.loop)
		return
	}
	if s.loop.conn != nil {
		s.send(s.loop.conn, sub.start)
	}
	select {
	case s.loop.wake <- struct{}{}:
	default:
	}
}

// remove unregisters sub, stopping it on the connection, and when it was
// the last ends the connection's goroutine and waits for it.
func (s *subscriptions) remove(sub *subscription) {
	s.mu.Lock()
	if s.active[sub.id] == sub {
		delete(s.active, sub.id)
		if s.loop != nil && s.loop.conn != nil {
			s.stop(s.loop.conn, sub.id)
		}
	}
	var loop *connLoop
	if len(s.active) == 0 && s.loop != nil {
		loop, s.loop = s.loop, nil
		loop.cancel()
	}
	s.mu.Unlock()
	if loop != nil {
		<-loop.done
	}
}

// end ends the subscription id with err, if it is still active.
func (s *subscriptions) end(loop *connLoop, id string, err error) {
	s.mu.Lock()
	sub := s.active[id]
	if sub != nil {
		delete(s.active, id)
		if loop.conn != nil && err != nil {
			s.stop(loop.conn, id)
		}
	}
	s.mu.Unlock()
	if sub != nil {
		sub.end(err)
	}
}

// endAll ends every active subscription with err, unless loop is no
// longer the connection's goroutine.
func (s *subscriptions) endAll(loop *connLoop, err error) {
	s.mu.Lock()
	if s.loop != loop {
		s.mu.Unlock()
		return
	}
	subs := s.active
	s.active = map[string]*subscription{}
	s.mu.Unlock()
	for _, sub := range subs {
		sub.end(err)
	}
}

// send writes msg on conn; s.mu is held, so that start and stop messages
// go out in the order of the calls. A failed write breaks the connection,
// which the reading goroutine then notices and replaces.
func (s *subscriptions) send(conn *websocket.Conn, msg []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), s.keepAlive)
	defer cancel()
	if conn.Write(ctx, websocket.MessageText, msg) != nil {
		conn.CloseNow()
	}
}

func (s *subscriptions) stop(conn *websocket.Conn, id string) {
	msg, _ := json.Marshal(message{ID: id, Type: msgStop})
	s.send(conn, msg)
}

// run keeps a connection up while loop's subscriptions want one:
// connecting, reconnecting with backoff, and ending every subscription
// when the server keeps refusing fresh tokens.
func (s *subscriptions) run(ctx context.Context, loop *connLoop) {
	defer close(loop.done)
	attempt, refusals := 0, 0
	sourceFailed := false // the kind of the refusals counted: the source's or the server's
	for {
		s.mu.Lock()
		idle := len(s.active) == 0
		s.mu.Unlock()
		if idle {
			select {
			case <-ctx.Done():
				return
			case <-loop.wake:
				continue
			}
		}
		healthy, err := s.session(ctx, loop)
		if ctx.Err() != nil {
			return
		}
		if healthy {
			attempt = 0
		}
		var refused *refusal
		switch {
		case errors.As(err, &refused) && refused.tok == nil && transient(refused.err):
			// The network or the authorization server failed, not the
			// grant: retried like a dropped connection, never ending.
			refusals = 0
		case errors.As(err, &refused):
			if failed := refused.tok == nil; failed != sourceFailed {
				sourceFailed, refusals = failed, 0 // each kind counts its own run
			}
			refusals++
			if refused.tok != nil {
				if inv, ok := s.source.(interface{ Invalidate(*oauth2.Token) }); ok {
					inv.Invalidate(refused.tok)
				}
			}
			if refusals >= maxRefusals {
				final := fmt.Errorf("%w (last: %w)", ErrSubscriptionRefused, refused.err)
				if refused.tok == nil { // no token to refuse: the source failed
					final = fmt.Errorf("the token source failed %d times in a row: %w", refusals, refused.err)
				}
				s.endAll(loop, final)
				// A later subscription starts afresh, not at this backoff.
				attempt, refusals = 0, 0
				continue
			}
		default:
			refusals = 0
		}
		if !s.backoff(ctx, attempt) {
			return
		}
		attempt++
	}
}

// backoff waits before reconnect attempt: not at all before the first,
// which follows a connection that worked, then a random time up to a
// bound that doubles from 1/25 of the keep-alive interval up to the
// interval (exponential backoff with full jitter). It reports false when
// ctx ended first.
func (s *subscriptions) backoff(ctx context.Context, attempt int) bool {
	if attempt == 0 {
		return ctx.Err() == nil
	}
	bound := s.keepAlive / 25
	for i := 1; i < attempt && bound < s.keepAlive; i++ {
		bound *= 2
	}
	bound = min(bound, s.keepAlive)
	t := time.NewTimer(rand.N(bound + 1))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// transient reports a token source failure that says nothing of the
// grant: the network's (a net.Error, timeouts included) or the
// authorization server's 5xx. A source reports a dead grant with
// auth.ErrReauthorize.
func transient(err error) bool {
	if errors.Is(err, auth.ErrReauthorize) {
		return false
	}
	var netErr net.Error
	var authErr *auth.Error
	return errors.As(err, &netErr) || (errors.As(err, &authErr) && authErr.StatusCode >= 500)
}

// refusal is a connection refused for its token: a connection_error, a
// handshake answered 401 or 403, or a close with a refusing code before
// the acknowledgement. tok is nil when the token source failed, so that
// no token was sent.
type refusal struct {
	tok *oauth2.Token
	err error
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// token asks the source for a token, as every connection does.
func (s *subscriptions) token(ctx context.Context) (*oauth2.Token, error) {
	if tc, ok := s.source.(interface {
		TokenContext(context.Context) (*oauth2.Token, error)
	}); ok {
		return tc.TokenContext(ctx)
	}
	return s.source.Token()
}

// session runs one connection: handshake, connection_init with a token
// fresh from the source, start of every active subscription, then
// messages until the connection fails or falls silent for
// missedKeepAlives intervals. healthy reports a connection that was
// acknowledged and then delivered data or lasted a keep-alive interval,
// after which backoff starts over.
func (s *subscriptions) session(ctx context.Context, loop *connLoop) (healthy bool, err error) {
	tok, err := s.token(ctx)
	if err != nil {
		return false, &refusal{err: fmt.Errorf("the token source failed: %w", err)}
	}
	silence := missedKeepAlives * s.keepAlive
	dialCtx, cancel := context.WithTimeout(ctx, silence)
	conn, res, err := websocket.Dial(dialCtx, s.url, &websocket.DialOptions{HTTPClient: s.http, Subprotocols: []string{subprotocol}})
	cancel()
	if err != nil {
		if res != nil && (res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden) {
			return false, &refusal{tok: tok, err: fmt.Errorf("the handshake was answered %s", res.Status)}
		}
		return false, err
	}
	defer conn.CloseNow()
	if conn.Subprotocol() != subprotocol {
		return false, fmt.Errorf("the server did not accept the subprotocol %s", subprotocol)
	}
	conn.SetReadLimit(readLimit)
	secret := new(redact.Set) // what a server's error text may echo
	secret.Add(tok.AccessToken)
	// The bare token, no scheme, as DLive documents.
	initPayload, _ := json.Marshal(map[string]string{"authorization": tok.AccessToken})
	init, _ := json.Marshal(message{Type: msgConnectionInit, Payload: initPayload})
	writeCtx, cancel := context.WithTimeout(ctx, silence)
	err = conn.Write(writeCtx, websocket.MessageText, init)
	cancel()
	if err != nil {
		return false, err
	}
	read := func(ctx context.Context) (message, error) {
		readCtx, cancel := context.WithTimeout(ctx, silence)
		defer cancel()
		_, b, err := conn.Read(readCtx)
		if err != nil {
			if readCtx.Err() != nil && ctx.Err() == nil {
				return message{}, fmt.Errorf("no keep-alive for %v", silence)
			}
			return message{}, err
		}
		var m message
		if err := json.Unmarshal(b, &m); err != nil {
			return message{}, fmt.Errorf("the server sent a message that is not JSON: %w", err)
		}
		return m, nil
	}
	// The acknowledgement, keep-alives or not, comes within the silence
	// allowed.
	ackCtx, cancel := context.WithTimeout(ctx, silence)
	defer cancel()
	for acked := false; !acked; {
		m, err := read(ackCtx)
		if err != nil {
			if code := websocket.CloseStatus(err); refusedWith(code) {
				return false, &refusal{tok: tok, err: fmt.Errorf("the server closed the connection with code %d before acknowledging it", code)}
			}
			return false, err
		}
		switch m.Type {
		case msgConnectionAck:
			acked = true
		case msgConnectionError:
			return false, &refusal{tok: tok, err: serverError(m, secret)}
		}
	}

	s.mu.Lock()
	loop.conn = conn
	for _, sub := range s.active {
		s.send(conn, sub.start)
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		loop.conn = nil
		s.mu.Unlock()
	}()
	acked := time.Now()
	for {
		m, err := read(ctx)
		if err != nil {
			return healthy || time.Since(acked) >= s.keepAlive, err
		}
		switch m.Type {
		case msgData:
			healthy = true
			s.dispatch(loop, m, secret)
		case msgError:
			s.end(loop, m.ID, serverError(m, secret))
		case msgComplete:
			s.end(loop, m.ID, nil)
		case msgConnectionError:
			return false, &refusal{tok: tok, err: serverError(m, secret)}
		}
	}
}

// refusedWith reports whether a connection closed with code before its
// acknowledgement was refused for its token: a policy violation, or
// graphql-ws's 4401 (unauthorized) and 4403 (forbidden). Its other 44xx
// codes (4400 bad request, 4408 init timeout, 4429 too many init
// requests…) refuse no token: the client reconnects with backoff.
func refusedWith(code websocket.StatusCode) bool {
	return code == websocket.StatusPolicyViolation || code == 4401 || code == 4403
}

// dispatch hands a data message to its subscription; a subscription whose
// loop fell behind is stopped with ErrSlowConsumer, and one that got only
// GraphQL errors with a *SubscriptionError.
func (s *subscriptions) dispatch(loop *connLoop, m message, secret *redact.Set) {
	s.mu.Lock()
	sub := s.active[m.ID]
	s.mu.Unlock()
	if sub == nil {
		return // stopped meanwhile
	}
	if errorsOnly(m.Payload) {
		s.end(loop, m.ID, serverError(m, secret))
		return
	}
	if !sub.deliver(m.Payload) {
		s.end(loop, m.ID, ErrSlowConsumer)
	}
}

// errorsOnly reports whether a data payload carries GraphQL errors and no
// data.
func errorsOnly(payload json.RawMessage) bool {
	var p struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct{}      `json:"errors"`
	}
	return json.Unmarshal(payload, &p) == nil && len(p.Errors) > 0 && (len(p.Data) == 0 || string(p.Data) == "null")
}

// serverError reads a refusal's payload, which may be a message, an error
// object, a list of GraphQL errors, or a data payload's errors, without
// the token.
func serverError(m message, secret *redact.Set) *SubscriptionError {
	e := &SubscriptionError{Type: m.Type}
	var obj struct {
		Message string         `json:"message"`
		Errors  []GraphQLError `json:"errors"`
	}
	switch {
	case json.Unmarshal(m.Payload, &obj) == nil:
		e.Message, e.Errors = obj.Message, obj.Errors
	case json.Unmarshal(m.Payload, &e.Errors) == nil:
	default:
		var text string
		if json.Unmarshal(m.Payload, &text) == nil {
			e.Message = text
		}
	}
	clean := func(s string) string { return apiclient.Line(secret.Text(s)) }
	e.Message = clean(e.Message)
	for i := range e.Errors {
		e.Errors[i].Message = clean(e.Errors[i].Message)
		e.Errors[i].Extensions = nil // may quote the request, token and all
	}
	return e
}
