package dlive_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/oauth2"
)

// wsMessage is a message of the graphql-ws protocol, as the fake server
// reads and writes it.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsServer is a minimal graphql-ws server: it accepts the subprotocol,
// answers connection_init with connection_ack (or connection_error when
// refuse says so), and hands every acknowledged connection to the test,
// which then reads the client's messages and writes the server's.
type wsServer struct {
	t      *testing.T
	url    string
	conns  chan *wsConn
	refuse func(token string) bool
	// closeWith, when it returns a code, closes the connection with it
	// after connection_init, before any answer.
	closeWith func(token string) websocket.StatusCode
}

// wsConn is one acknowledged connection.
type wsConn struct {
	t           *testing.T
	c           *websocket.Conn
	subprotocol string
	init        wsMessage      // the client's connection_init
	token       string         // its payload.authorization
	msgs        chan wsMessage // the client's later messages
	closed      chan struct{}  // the client's side is gone
}

// wait bounds every wait of these tests, so that a broken client fails
// the test instead of hanging it; no assertion depends on it.
const wait = 20 * time.Second

func newWSServer(t *testing.T) *wsServer {
	s := &wsServer{t: t, conns: make(chan *wsConn, 16)}
	var handlers sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers.Add(1)
		defer handlers.Done()
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"graphql-ws"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		_, b, err := c.Read(ctx)
		if err != nil {
			return
		}
		conn := &wsConn{t: t, c: c, subprotocol: c.Subprotocol(), msgs: make(chan wsMessage, 1024), closed: make(chan struct{})}
		if err := json.Unmarshal(b, &conn.init); err != nil {
			return
		}
		var p struct {
			Authorization string `json:"authorization"`
		}
		json.Unmarshal(conn.init.Payload, &p)
		conn.token = p.Authorization
		if s.closeWith != nil {
			if code := s.closeWith(conn.token); code != 0 {
				c.Close(code, "")
				return
			}
		}
		if s.refuse != nil && s.refuse(conn.token) {
			conn.write(wsMessage{Type: "connection_error", Payload: json.RawMessage(`{"message":"invalid token ` + conn.token + `"}`)})
			c.Close(websocket.StatusNormalClosure, "")
			return
		}
		conn.write(wsMessage{Type: "connection_ack"})
		s.conns <- conn
		defer close(conn.closed)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var m wsMessage
			if json.Unmarshal(b, &m) == nil {
				conn.msgs <- m
			}
		}
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		handlers.Wait()
	})
	s.url = "ws" + strings.TrimPrefix(srv.URL, "http")
	return s
}

// next returns the next acknowledged connection.
func (s *wsServer) next() *wsConn {
	s.t.Helper()
	select {
	case c := <-s.conns:
		return c
	case <-time.After(wait):
		s.t.Fatal("no connection came")
		return nil
	}
}

// expect returns the client's next message, which must be of type typ.
func (c *wsConn) expect(typ string) wsMessage {
	c.t.Helper()
	select {
	case m := <-c.msgs:
		if m.Type != typ {
			c.t.Fatalf("the client sent %s %s, want %s", m.Type, m.Payload, typ)
		}
		return m
	case <-time.After(wait):
		c.t.Fatalf("the client sent no %s", typ)
		return wsMessage{}
	}
}

// write sends m; a failure is the client having left, which the test
// notices by itself.
func (c *wsConn) write(m wsMessage) {
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c.c.Write(ctx, websocket.MessageText, b)
}

// data sends a data message for subscription id with the events of field.
func (c *wsConn) data(id, field, events string) {
	c.write(wsMessage{ID: id, Type: "data", Payload: json.RawMessage(`{"data":{"` + field + `":` + events + `}}`)})
}

// drop ends the connection without a close handshake, as a network
// failure would.
func (c *wsConn) drop() { c.c.CloseNow() }

// tokens is a token source that hands out tok-1, tok-2, … and records
// what it was asked and which tokens were invalidated.
type tokens struct {
	mu          sync.Mutex
	n           int
	invalidated []string
}

func (s *tokens) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", s.n), Expiry: time.Now().Add(time.Hour)}, nil
}

func (s *tokens) Invalidate(t *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, t.AccessToken)
}

func (s *tokens) asked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// noSubscriptionGoroutines fails t if a goroutine of the subscription
// client is still running: the loop has ended, so the last one is at
// most returning.
func noSubscriptionGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var left []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "onair/dlive.(*subscriptions)") || strings.Contains(g, "onair/dlive.subscribe[") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines of the subscription client outlived its iteration:\n%s", strings.Join(left, "\n\n"))
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // polling, not a deadline the client must meet
	}
}
