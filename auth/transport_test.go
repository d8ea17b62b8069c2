package auth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

func staticTransport(base http.RoundTripper) *auth.Transport {
	tok := &oauth2.Token{AccessToken: "tok-123", Expiry: time.Now().Add(time.Hour)}
	return &auth.Transport{Source: oauth2.StaticTokenSource(tok), Base: base}
}

// headerRecorder is a server that remembers the Authorization header of
// each request it gets, by path.
type headerRecorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen map[string]string
}

func newRecorder(h func(w http.ResponseWriter, r *http.Request)) *headerRecorder {
	rec := &headerRecorder{seen: map[string]string{}}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen[r.URL.Path] = r.Header.Get("Authorization")
		rec.mu.Unlock()
		if h != nil {
			h(w, r)
		}
	}))
	return rec
}

func (r *headerRecorder) got() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for k, v := range r.seen {
		out[k] = v
	}
	return out
}

func TestTransportLeavesCallerRequestAlone(t *testing.T) {
	var mine []string
	rec := newRecorder(func(w http.ResponseWriter, r *http.Request) { mine = r.Header.Values("X-Mine") })
	defer rec.Close()
	req, _ := http.NewRequest(http.MethodGet, rec.URL+"/a", nil)
	req.Header.Add("X-Mine", "1")
	req.Header.Add("X-Mine", "2")
	req.Header.Set("Authorization", "Basic stale")
	before := req.Header.Clone()
	res, err := (&http.Client{Transport: staticTransport(nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if d := cmp.Diff(before, req.Header); d != "" {
		t.Errorf("caller's header changed (-before +after):\n%s", d)
	}
	if got := rec.got()["/a"]; got != "Bearer tok-123" {
		t.Errorf("server saw Authorization %q", got)
	}
	if d := cmp.Diff([]string{"1", "2"}, mine); d != "" {
		t.Errorf("X-Mine values (-want +got):\n%s", d)
	}
}

// The token goes only to the host the caller asked; x/oauth2 re-adds it on
// every redirect hop (golang/oauth2#500).
func TestTransportRedirects(t *testing.T) {
	other := newRecorder(nil) // 127.0.0.1, another port: another host
	defer other.Close()
	var home *headerRecorder
	home = newRecorder(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-other":
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, home.URL+"/self", http.StatusFound)
		}
	})
	defer home.Close()

	for _, tc := range []struct {
		name  string
		hosts []string
		path  string
		want  map[string]string // Authorization seen, by server and path
	}{
		{name: "cross-host redirect drops the token", path: "/to-other",
			want: map[string]string{"home/to-other": "Bearer tok-123", "other/landed": ""}},
		{name: "same-host redirect keeps it", path: "/to-self",
			want: map[string]string{"home/to-self": "Bearer tok-123", "home/self": "Bearer tok-123"}},
		{name: "allowed hosts may be reached by redirect", path: "/to-other", hosts: []string{strings.TrimPrefix(home.URL, "http://"), strings.TrimPrefix(other.URL, "http://")},
			want: map[string]string{"home/to-other": "Bearer tok-123", "other/landed": "Bearer tok-123"}},
		{name: "a host off the list gets nothing", path: "/to-other", hosts: []string{strings.TrimPrefix(other.URL, "http://")},
			want: map[string]string{"home/to-other": "", "other/landed": "Bearer tok-123"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home.seen, other.seen = map[string]string{}, map[string]string{}
			tr := staticTransport(nil)
			tr.Hosts = tc.hosts
			res, err := (&http.Client{Transport: tr}).Get(home.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			got := map[string]string{}
			for p, v := range home.got() {
				got["home"+p] = v
			}
			for p, v := range other.got() {
				got["other"+p] = v
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Authorization seen (-want +got):\n%s", d)
			}
		})
	}
}

func TestTransportRefusesPlainHTTP(t *testing.T) {
	var called atomic.Bool
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { called.Store(true); return nil, errors.New("unreachable") })
	_, err := (&http.Client{Transport: staticTransport(base)}).Get("http://api.livestorm.co/v1/events")
	if !errors.Is(err, auth.ErrInsecure) || !strings.Contains(err.Error(), "api.livestorm.co") {
		t.Fatalf("err = %v, want ErrInsecure naming the host", err)
	}
	if called.Load() {
		t.Error("the request was sent")
	}
}

// livestormSession runs the code flow against a Livestorm fake and returns
// a config, a token and a server whose API echoes request bodies behind
// the fake's token check.
func livestormSession(t *testing.T, need ...string) (*authserver.Fake, *auth.Config[scopes.Livestorm], *oauth2.Token, *httptest.Server) {
	t.Helper()
	f := authserver.Start(livestormtest.Dialect(), livestorm.Endpoint, redirectURI)
	t.Cleanup(f.Close)
	cfg := &auth.Config[scopes.Livestorm]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.Livestorm{scopes.LivestormEventsRead}, Endpoint: f.Endpoint}
	u, err := cfg.AuthCodeURL("st")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(context.Background(), authorize(t, u).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(f.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	}), need...))
	t.Cleanup(api.Close)
	return f, cfg, tok, api
}

func TestTransportRefreshesOnceOn401(t *testing.T) {
	f, cfg, tok, api := livestormSession(t)
	client := cfg.Client(context.Background(), tok)
	f.Revoke(tok.AccessToken) // the server rejects it before its expiry

	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := client.Post(api.URL, "text/plain", strings.NewReader("payload"))
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			bodies[i] = res.Status + " " + string(b)
		}()
	}
	wg.Wait()
	for i, b := range bodies {
		if b != "200 OK payload" {
			t.Errorf("request %d: %q, want the replayed body echoed with 200", i, b)
		}
	}
	if n := f.Stats().Refreshes; n != 1 {
		t.Errorf("refreshes = %d, want 1 for 8 rejected requests", n)
	}
}

func TestTransport401WithoutRetry(t *testing.T) {
	for _, tc := range []struct {
		name string
		send func(c *http.Client, url string) (*http.Response, error)
	}{
		{"body cannot be replayed", func(c *http.Client, url string) (*http.Response, error) {
			req, _ := http.NewRequest(http.MethodPost, url, io.NopCloser(strings.NewReader("once")))
			return c.Do(req)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, cfg, tok, api := livestormSession(t)
			f.Revoke(tok.AccessToken)
			res, err := tc.send(cfg.Client(context.Background(), tok), api.URL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized || f.Stats().Refreshes != 0 {
				t.Errorf("status %d after %d refreshes, want the 401 and no refresh", res.StatusCode, f.Stats().Refreshes)
			}
		})
	}
	t.Run("other 401 errors are not retried", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
			w.WriteHeader(http.StatusUnauthorized)
		}))
		defer srv.Close()
		_, cfg, tok, _ := livestormSession(t)
		res, err := cfg.Client(context.Background(), tok).Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || n.Load() != 1 {
			t.Errorf("status %d after %d requests, want 401 after 1", res.StatusCode, n.Load())
		}
	})
}

// A 401 without any challenge also gets one refresh and a replay.
func TestTransportRefreshesOnBare401(t *testing.T) {
	f, cfg, tok, _ := livestormSession(t)
	var n atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Header.Get("Authorization") == "Bearer "+tok.AccessToken {
			w.WriteHeader(http.StatusUnauthorized) // no WWW-Authenticate at all
			return
		}
		io.WriteString(w, "ok")
	}))
	defer api.Close()
	res, err := cfg.Client(context.Background(), tok).Get(api.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || n.Load() != 2 || f.Stats().Refreshes != 1 {
		t.Errorf("status %d after %d requests and %d refreshes, want 200 after 2 and 1", res.StatusCode, n.Load(), f.Stats().Refreshes)
	}
}

// The token's scheme comes from the Endpoint alone: a Transport given
// DLive's BareToken sends the bare token over any source, one from outside
// this package included, and without it sends "Bearer x", which the strict
// fake refuses, even over this package's own source of DLive tokens.
func TestTransportTakesSchemeFromEndpoint(t *testing.T) {
	f := authserver.Start(dlivetest.Dialect(), dlive.Endpoint, redirectURI)
	defer f.Close()
	cfg := &auth.Config[scopes.DLive]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, Endpoint: f.Endpoint}
	ctx := context.Background()
	tok, err := cfg.ClientCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tr   *auth.Transport
		want int
	}{
		{"Config.Transport over a static source", cfg.Transport(oauth2.StaticTokenSource(tok), nil), http.StatusOK},
		{"by hand with the Endpoint's BareToken", &auth.Transport{Source: oauth2.StaticTokenSource(tok), BareToken: cfg.Endpoint.BareToken}, http.StatusOK},
		{"Config.Transport over the package's source", cfg.Transport(cfg.ClientCredentialsTokenSource(ctx), nil), http.StatusOK},
		{"by hand without BareToken over the package's source", &auth.Transport{Source: cfg.ClientCredentialsTokenSource(ctx)}, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (&http.Client{Transport: tc.tr}).Get(f.APIURL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.want {
				t.Errorf("status %d, want %d", res.StatusCode, tc.want)
			}
		})
	}
}

func TestTransportInsufficientScope(t *testing.T) {
	f, cfg, tok, api := livestormSession(t, "events:write")
	var hits atomic.Int32
	counted := api.Config.Handler
	api.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1); counted.ServeHTTP(w, r) })
	_, err := cfg.Client(context.Background(), tok).Get(api.URL)
	if n := hits.Load(); n != 1 {
		t.Errorf("API requests = %d, want 1: insufficient_scope is never retried", n)
	}
	var ise *auth.InsufficientScopeError
	if !errors.As(err, &ise) {
		t.Fatalf("err = %v, want *auth.InsufficientScopeError", err)
	}
	if d := cmp.Diff(&auth.InsufficientScopeError{StatusCode: 403, Scope: []string{"events:write"}, Body: []byte("insufficient scope\n")}, ise,
		cmpopts.IgnoreFields(auth.InsufficientScopeError{}, "Header")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !errors.Is(err, scopes.ErrNotGranted) {
		t.Errorf("errors.Is(err, scopes.ErrNotGranted) = false")
	}
	if n := f.Stats().Refreshes; n != 0 {
		t.Errorf("refreshes = %d, want none for insufficient_scope", n)
	}
}

// An API that quotes the refused token in its insufficient_scope answer
// must not put the token into the error, whose fields may be logged.
func TestTransportInsufficientScopeQuotesNoToken(t *testing.T) {
	const token = "AT-quoted/by+the=API"
	for _, quote := range []string{token, url.QueryEscape(token), base64.StdEncoding.EncodeToString([]byte(token))} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", error_description="token `+quote+` lacks events:write"`)
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message":"token %s lacks events:write"}`, quote)
		}))
		src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})
		res, err := (&http.Client{Transport: &auth.Transport{Source: src}}).Get(api.URL)
		api.Close()
		if res != nil {
			res.Body.Close()
		}
		var ise *auth.InsufficientScopeError
		if !errors.As(err, &ise) {
			t.Fatalf("quoted as %q: err = %v, want *auth.InsufficientScopeError", quote, err)
		}
		for _, s := range []string{ise.Description, string(ise.Body), err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", ise)} {
			if strings.Contains(s, quote) || strings.Contains(s, token) {
				t.Errorf("quoted as %q: the token survives in %q", quote, s)
			}
		}
		if !strings.Contains(ise.Description, "lacks events:write") {
			t.Errorf("quoted as %q: description %q lost what the API said", quote, ise.Description)
		}
	}
}
