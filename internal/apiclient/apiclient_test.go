package apiclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/scopes"
)

// scripted answers with the given statuses in turn, then 200.
func scripted(statuses []int, header http.Header) (*httptest.Server, *atomic.Int32, *[]string) {
	var n atomic.Int32
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if i < len(statuses) {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(statuses[i])
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	return srv, &n, &bodies
}

func TestRetry(t *testing.T) {
	for _, tc := range []struct {
		name     string
		method   string
		statuses []int
		header   http.Header
		want     int   // final status
		tries    int32 // requests the server saw
	}{
		{"429 then ok", http.MethodPost, []int{429}, http.Header{"Retry-After": {"0"}}, 200, 2},
		{"503 twice then ok", http.MethodGet, []int{503, 503}, nil, 200, 3},
		{"gives up after three tries", http.MethodGet, []int{429, 429, 429, 429}, http.Header{"Retry-After": {"0"}}, 429, 3},
		{"502 retried for GET", http.MethodGet, []int{502}, nil, 200, 2},
		{"502 not retried for POST", http.MethodPost, []int{502}, nil, 502, 1},
		{"wait longer than allowed", http.MethodGet, []int{429}, http.Header{"Retry-After": {"3600"}}, 429, 1},
		{"400 not retried", http.MethodGet, []int{400}, nil, 400, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n, bodies := scripted(tc.statuses, tc.header)
			defer srv.Close()
			c := &http.Client{Transport: &Retry{Base: http.DefaultTransport, Backoff: time.Millisecond}}
			req, _ := http.NewRequest(tc.method, srv.URL, strings.NewReader("payload"))
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.want || n.Load() != tc.tries {
				t.Errorf("status %d after %d tries, want %d after %d", res.StatusCode, n.Load(), tc.want, tc.tries)
			}
			for i, b := range *bodies {
				if b != "payload" {
					t.Errorf("try %d sent body %q", i, b)
				}
			}
		})
	}
}

// A wait that would outlast the caller's deadline is not started: the
// caller gets the 429, with its Retry-After, at once.
func TestRetryRespectsDeadline(t *testing.T) {
	srv, n, _ := scripted([]int{429, 429}, http.Header{"Retry-After": {"5"}})
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	res, err := (&http.Client{Transport: &Retry{Base: http.DefaultTransport}}).Do(req)
	if err != nil || res.StatusCode != 429 || n.Load() != 1 || ctx.Err() != nil {
		t.Fatalf("status %v, err %v after %d tries; want the 429 at once after 1", res, err, n.Load())
	}
	res.Body.Close()
}

// Errors that are not the network's are not retried, even for GET.
func TestRetryOnlyNetworkErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		tries int32
	}{
		{"scope error", fmt.Errorf("auth: %w", scopes.ErrNotGranted), 1},
		{"token source error", errors.New("oauth2: invalid_grant"), 1},
		{"connection reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, 3},
		{"unexpected EOF", io.ErrUnexpectedEOF, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			base := roundTripFunc(func(*http.Request) (*http.Response, error) { n.Add(1); return nil, tc.err })
			req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
			_, err := (&Retry{Base: base, Backoff: time.Millisecond}).RoundTrip(req)
			if !errors.Is(err, tc.err) || n.Load() != tc.tries {
				t.Errorf("err %v after %d tries, want %d", err, n.Load(), tc.tries)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// grantedSource is a token source whose token was granted scope.
func grantedSource(scope string) oauth2.TokenSource {
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": scope})
	return oauth2.StaticTokenSource(tok)
}

func TestDoPreflight(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "onair-go/") {
			t.Errorf("User-Agent %q", ua)
		}
		io.WriteString(w, `{"data":{"id":"e1"}}`)
	}))
	defer srv.Close()
	op := Op[scopes.Livestorm]{Name: "Events.Create", Needs: [][]scopes.Livestorm{{scopes.LivestormEventsWrite}}}
	for _, tc := range []struct {
		name    string
		granted string
		wantErr string // "" for success
	}{
		{"granted", "events:write", ""},
		{"covered by full:write", "full:write", ""},
		{"not granted", "events:read identity:read", "needs scope events:write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits.Store(0)
			c, err := New[scopes.Livestorm](Config{Provider: "livestorm", Source: grantedSource(tc.granted), BaseURL: srv.URL,
				DecodeError: func(onair.APIError, []byte) error { return errors.New("api error") }})
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodPost, c.Server("https://api.livestorm.co/v1")+"/events", strings.NewReader("{}"))
			var out Data[struct{ ID string }]
			err = c.Do(context.Background(), &op, req, &out, nil)
			if tc.wantErr == "" {
				if err != nil || out.Data.ID != "e1" || hits.Load() != 1 {
					t.Errorf("err %v, out %+v, hits %d", err, out, hits.Load())
				}
				return
			}
			if !errors.Is(err, scopes.ErrNotGranted) || !strings.Contains(err.Error(), tc.wantErr) || hits.Load() != 0 {
				t.Errorf("err = %v after %d requests; want ErrNotGranted saying %q and none", err, hits.Load(), tc.wantErr)
			}
		})
	}
}

func TestDoTypedError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		http.Error(w, `{"message":"no such stream"}`, http.StatusNotFound)
	}))
	defer srv.Close()
	var got int
	c, _ := New[scopes.Livepush](Config{Provider: "livepush", Source: grantedSource(""), BaseURL: srv.URL,
		DecodeError: func(base onair.APIError, body []byte) error {
			got = base.StatusCode
			return fmt.Errorf("typed %d: %s", base.StatusCode, strings.TrimSpace(string(body)))
		}})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/streams/x", nil)
	err := c.Do(context.Background(), &Op[scopes.Livepush]{Name: "Streams.Get"}, req, nil, nil)
	if err == nil || got != 404 || !strings.Contains(err.Error(), "livepush: Streams.Get: typed 404") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewChecksInput(t *testing.T) {
	if _, err := New[scopes.Livepush](Config{Provider: "livepush"}); err == nil || !strings.Contains(err.Error(), "token source is nil") {
		t.Errorf("nil source: %v", err)
	}
	if _, err := New[scopes.Livepush](Config{Provider: "livepush", Source: grantedSource(""), BaseURL: "api.example"}); err == nil ||
		!strings.Contains(err.Error(), `WithBaseURL("api.example")`) {
		t.Errorf("relative base URL: %v", err)
	}
}

func TestLeastPrivilege(t *testing.T) {
	type L = scopes.Livestorm
	for _, tc := range []struct {
		name  string
		needs [][][]L
		want  []L
	}{
		{"none", [][][]L{nil, nil}, nil},
		{"union", [][][]L{{{scopes.LivestormEventsRead}}, {{scopes.LivestormWebhooksWrite}}}, []L{scopes.LivestormEventsRead, scopes.LivestormWebhooksWrite}},
		{"covered by a write", [][][]L{{{scopes.LivestormEventsWrite}}, {{scopes.LivestormEventsRead}}}, []L{scopes.LivestormEventsWrite}},
		{"a read made redundant by a later write", [][][]L{{{scopes.LivestormEventsRead}}, {{scopes.LivestormEventsWrite}}}, []L{scopes.LivestormEventsWrite}},
		{"the alternative already held", [][][]L{{{scopes.LivestormAdminRead}}, {{scopes.LivestormIdentityRead}, {scopes.LivestormAdminRead}}}, []L{scopes.LivestormAdminRead}},
		{"first alternative otherwise", [][][]L{{{scopes.LivestormIdentityRead}, {scopes.LivestormAdminRead}}}, []L{scopes.LivestormIdentityRead}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LeastPrivilege(tc.needs...)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// A base URL with user info, a query or a fragment is refused, unquoted:
// each would change every request's URL, and may hold a secret.
func TestNewRefusesBaseURLExtras(t *testing.T) {
	for _, base := range []string{"https://u:SECRET@api.example/v1", "https://api.example/v1?key=SECRET", "https://api.example/v1#SECRET"} {
		_, err := New[scopes.Livepush](Config{Provider: "livepush", Source: grantedSource(""), BaseURL: base})
		if err == nil || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "WithBaseURL") {
			t.Errorf("WithBaseURL(%q): %v", base, err)
		}
	}
}

// A nil option, one chosen conditionally and left unset, is skipped.
func TestNilCallOption(t *testing.T) {
	var opt onair.CallOption
	if got := settings([]onair.CallOption{opt, onair.WithMaxRetries(1)}); got.MaxRetries == nil || *got.MaxRetries != 1 {
		t.Errorf("settings with a nil option = %+v", got)
	}
}

// waitingSource is a token source in the middle of a refresh: TokenContext
// waits for its context, and Token, which has none to wait for, fails.
type waitingSource struct{}

func (waitingSource) Token() (*oauth2.Token, error) {
	return nil, errors.New("Token called: the wait for a refresh cannot end with the call")
}

func (waitingSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// A call whose context ends while the token source refreshes ends with it,
// without sending anything, instead of waiting for the refresh.
func TestPreflightWaitsWithTheCallsContext(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, err := New[scopes.Livestorm](Config{Provider: "livestorm", Source: waitingSource{}, BaseURL: srv.URL,
		DecodeError: func(onair.APIError, []byte) error { return errors.New("api error") }})
	if err != nil {
		t.Fatal(err)
	}
	op := Op[scopes.Livestorm]{Name: "Events.List", Needs: [][]scopes.Livestorm{{scopes.LivestormEventsRead}}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequest(http.MethodGet, c.Server("https://api.livestorm.co/v1")+"/events", nil)
	err = c.Do(ctx, &op, req, nil, nil)
	if !errors.Is(err, context.Canceled) || hits.Load() != 0 {
		t.Errorf("err = %v after %d requests; want context.Canceled and none", err, hits.Load())
	}
}
