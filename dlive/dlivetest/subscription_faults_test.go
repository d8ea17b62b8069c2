package dlivetest

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// connection_terminate closes the connection normally.
func TestConnectionTerminate(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	send(t, c, map[string]any{"type": "connection_terminate"})
	if code, reason, _ := readClose(t, c); code != websocket.StatusNormalClosure {
		t.Errorf("closed with %d %q, want %d", code, reason, websocket.StatusNormalClosure)
	}
}

// CloseSubscriptions closes every connection with the code and reason
// given, after the events queued before it.
func TestCloseSubscriptions(t *testing.T) {
	srv := start(t)
	c1, _ := connect(t, srv)
	c2, _ := connect(t, srv)
	subscribe(t, srv, c1, "1", loginUsername)
	if err := srv.Emit(loginUsername, map[string]any{"__typename": "ChatOffline", "type": "Offline"}); err != nil {
		t.Fatal(err)
	}
	srv.CloseSubscriptions(4500, "maintenance")
	if n := srv.SubscriptionConnections(); n != 0 {
		t.Errorf("after CloseSubscriptions, %d connections, want 0", n)
	}
	for i, c := range []*websocket.Conn{c1, c2} {
		code, reason, got := readClose(t, c)
		if code != 4500 || reason != "maintenance" {
			t.Errorf("connection %d closed with %d %q, want 4500 maintenance", i+1, code, reason)
		}
		if want := 1 - i; len(got) != want {
			t.Errorf("connection %d got %d messages before the close, want %d", i+1, len(got), want)
		}
	}
}

// Keep-alives arrive at the interval WithKeepAlive sets (the test waits
// for one; it does not time it).
func TestKeepAlive(t *testing.T) {
	srv := NewServer(WithKeepAlive(time.Millisecond))
	t.Cleanup(srv.Close)
	c, _ := connect(t, srv)
	for range 2 {
		if m := readAny(t, c); m.Type != "ka" {
			t.Fatalf("got %s, want ka", m.Type)
		}
	}
}

// StopKeepAlives withholds keep-alives until ResumeKeepAlives. The test
// learns from the sandbox that ticks were skipped rather than waiting.
func TestStopKeepAlives(t *testing.T) {
	srv := NewServer(WithKeepAlive(time.Millisecond))
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	skipped := 0
	skip := make(chan struct{}, 1)
	h := srv.hub()
	h.mu.Lock()
	h.skippedKeepAlive = func() {
		mu.Lock()
		skipped++
		mu.Unlock()
		select {
		case skip <- struct{}{}:
		default:
		}
	}
	h.mu.Unlock()
	c, _ := connect(t, srv)
	subscribe(t, srv, c, "1", loginUsername)
	if m := readAny(t, c); m.Type != "ka" {
		t.Fatalf("before StopKeepAlives got %s, want ka", m.Type)
	}

	srv.StopKeepAlives()
	emit := func(typename string) {
		t.Helper()
		if err := srv.Emit(loginUsername, map[string]any{"__typename": typename}); err != nil {
			t.Fatal(err)
		}
	}
	// Keep-alives written before StopKeepAlives may still be on their way:
	// every message after this event is written after it.
	emit("ChatLive")
	if ev := oneEvent(t, read(t, c), "1"); ev["__typename"] != "ChatLive" {
		t.Fatalf("got %v, want ChatLive", ev)
	}
	mu.Lock()
	from := skipped
	mu.Unlock()
	for {
		mu.Lock()
		n := skipped
		mu.Unlock()
		if n >= from+3 {
			break
		}
		select {
		case <-skip:
		case <-wsContext(t).Done():
			t.Fatal("no keep-alive tick was skipped")
		}
	}
	emit("ChatOffline")
	if m := readAny(t, c); m.Type != "data" || oneEvent(t, m, "1")["__typename"] != "ChatOffline" {
		t.Fatalf("after 3 skipped ticks got %s %s, want the ChatOffline and no ka", m.Type, m.Payload)
	}

	srv.ResumeKeepAlives()
	if m := readAny(t, c); m.Type != "ka" {
		t.Fatalf("after ResumeKeepAlives got %s, want ka", m.Type)
	}
}

// DelayEvents holds events back: a connection dropped while one is
// delayed never gets it, and without the delay the next ones come in
// order.
func TestDelayEvents(t *testing.T) {
	srv := start(t)
	c, _ := connect(t, srv)
	subscribe(t, srv, c, "1", loginUsername)
	srv.DelayEvents(time.Hour)
	if err := srv.Emit(loginUsername, map[string]any{"__typename": "ChatLive"}); err != nil {
		t.Fatal(err)
	}
	srv.DropSubscriptions()
	if code, _, got := readClose(t, c); code != -1 || len(got) != 0 {
		t.Errorf("got %v and close %d, want the drop and no event", got, code)
	}

	srv.DelayEvents(time.Millisecond)
	c2, _ := connect(t, srv)
	subscribe(t, srv, c2, "1", loginUsername)
	for _, k := range []string{"ChatLive", "ChatOffline"} {
		if err := srv.Emit(loginUsername, map[string]any{"__typename": k}); err != nil {
			t.Fatal(err)
		}
	}
	srv.DelayEvents(0)
	if err := srv.Emit(loginUsername, map[string]any{"__typename": "ChatClip"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ChatLive", "ChatOffline", "ChatClip"} {
		if ev := oneEvent(t, read(t, c2), "1"); ev["__typename"] != want {
			t.Errorf("got %v, want %s", ev, want)
		}
	}
}

// Close ends every subscription connection and leaves none of the
// endpoint's goroutines.
func TestCloseEndsSubscriptions(t *testing.T) {
	srv := NewServer(WithKeepAlive(time.Millisecond))
	c1, _ := connect(t, srv)
	c2, _ := connect(t, srv)
	subscribe(t, srv, c1, "1", loginUsername)
	subscribe(t, srv, c2, "1", "dlive-12345678")
	half := dial(t, srv, subprotocol) // not initialised
	srv.Close()
	for _, c := range []*websocket.Conn{c1, c2, half} {
		readClose(t, c)
		c.CloseNow()
	}
	if n := srv.SubscriptionConnections(); n != 0 {
		t.Errorf("after Close, %d connections", n)
	}
	noGoroutines(t, "dlivetest.serveConn", "dlivetest.(*subConn)", "dlivetest.(*hub)", "github.com/coder/websocket.")
}

// noGoroutines fails if a goroutine runs a function named by any of
// frames. Like goleak, it looks again for a while: a goroutine that has
// just finished its work may still be returning.
func noGoroutines(t *testing.T, frames ...string) {
	t.Helper()
	var left []string
	for range 500 {
		left = left[:0]
		buf := make([]byte, 1<<20)
		stacks := strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n")
		for _, s := range stacks {
			if slices.ContainsFunc(frames, func(f string) bool { return strings.Contains(s, f) }) {
				left = append(left, s)
			}
		}
		if len(left) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("%d goroutines left:\n%s", len(left), strings.Join(left, "\n\n"))
}
