package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// start serves the Livepush spec with a tiny API: GET /regions answers a
// valid list, GET /streams/{id} an answer that breaks the spec.
func start(t *testing.T, c sandbox.Config, limit *sandbox.Limit) *sandbox.Server {
	t.Helper()
	spec, err := sandbox.LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /regions", func(w http.ResponseWriter, r *http.Request) {
		g, _ := sandbox.GrantFrom(r.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-User", g.User)
		w.Header().Set("X-Teams-Read", strconv.FormatBool(g.Allows([][]string{{"teams.read"}})))
		io.WriteString(w, `[{"id":"zn_1","name":"EU","category":"default","host":"eu.example","isPublic":true,"isDefault":false}]`)
	})
	mux.HandleFunc("GET /streams/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id": 42}`)
	})
	mux.HandleFunc("POST /account/auth/revoke", func(w http.ResponseWriter, r *http.Request) {
		// A handler may narrow the grant it was lent: the request's token
		// goes with it.
		sandbox.RevokeRequestToken(sandbox.WithGrant(r.Context(), sandbox.Grant{ClientID: "narrowed"}))
		w.WriteHeader(http.StatusNoContent)
	})
	s, err := sandbox.New(sandbox.Provider{
		Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, User: "u1", Spec: spec, API: mux,
		Error: func(w http.ResponseWriter, status int, code, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
		},
		Covers: writeCoversRead,
		Limit:  limit,
	}, c)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// writeCoversRead is a provider's scope rule for the tests: a scope covers
// itself, and "x.write" covers "x.read".
func writeCoversRead(granted []string, need string) bool {
	for _, g := range granted {
		if g == need || strings.HasSuffix(g, ".write") && strings.TrimSuffix(g, ".write")+".read" == need {
			return true
		}
	}
	return false
}

type answer struct {
	Status int
	Code   string
	Header string // the header the case looks at
}

func call(t *testing.T, s *sandbox.Server, method, path, token, header string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Error string }
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &body)
	return answer{Status: resp.StatusCode, Code: body.Error, Header: resp.Header.Get(header)}
}

func TestChecks(t *testing.T) {
	s := start(t, sandbox.Config{}, nil)
	regions := s.IssueToken(string(scopes.LivepushRegionsRead)).AccessToken
	streams := s.IssueToken(string(scopes.LivepushStreamsRead), string(scopes.LivepushStreamsCreate)).AccessToken
	// The provider's rule, not the engine, says regions.write covers
	// regions.read, and teams.write teams.read.
	implied := s.IssueToken("regions.write", "teams.write").AccessToken
	expired := s.Auth.IssueFor("u1", s.ClientID, []string{"regions.read"}, -time.Second)
	tests := []struct {
		name                 string
		method, path, token  string
		header               string
		want                 answer
		wantHeaderContaining string
	}{
		{name: "valid", method: "GET", path: "/regions", token: regions, header: "X-User", want: answer{200, "", "u1"}},
		{name: "no token", method: "GET", path: "/regions", header: "WWW-Authenticate", want: answer{401, "invalid_token", `Bearer realm="livepush"`}},
		{name: "unknown token", method: "GET", path: "/regions", token: "nope", header: "WWW-Authenticate",
			want: answer{401, "invalid_token", `Bearer realm="livepush", error="invalid_token", error_description="the access token is unknown, expired or revoked"`}},
		{name: "expired token", method: "GET", path: "/regions", token: expired, want: answer{401, "invalid_token", ""}},
		{name: "grant for the handler", method: "GET", path: "/regions", token: regions, header: "X-Teams-Read", want: answer{200, "", "false"}},
		{name: "scope the provider's rule covers", method: "GET", path: "/regions", token: implied, header: "X-Teams-Read", want: answer{200, "", "true"}},
		{name: "wrong scope", method: "GET", path: "/regions", token: streams, header: "WWW-Authenticate",
			want: answer{403, "insufficient_scope", `Bearer realm="livepush", error="insufficient_scope", scope="regions.read"`}},
		{name: "unknown path", method: "GET", path: "/nowhere", token: regions, want: answer{404, "not_found", ""}},
		{name: "unknown method", method: "PUT", path: "/regions", token: regions, want: answer{405, "method_not_allowed", ""}},
		{name: "invalid request", method: "POST", path: "/streams", token: streams, want: answer{400, "invalid_request", ""}},
		{name: "answer breaks the spec", method: "GET", path: "/streams/s1", token: streams, want: answer{500, "sandbox_bug", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, s, tt.method, tt.path, tt.token, tt.header)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFailOperation(t *testing.T) {
	s := start(t, sandbox.Config{}, nil)
	tok := s.IssueToken("regions.read").AccessToken
	if err := s.FailOperation("Regions.List", 503, 2); err != nil {
		t.Fatal(err)
	}
	var got []answer
	for range 3 {
		got = append(got, call(t, s, "GET", "/regions", tok, "Retry-After"))
	}
	want := []answer{{503, "injected_fault", "1"}, {503, "injected_fault", "1"}, {200, "", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	if n := s.Calls()["Regions.List"]; n != 3 {
		t.Errorf("Calls()[Regions.List] = %d, want 3", n)
	}
	for _, bad := range []struct {
		op     string
		status int
	}{{"Regions.Nope", 500}, {"Regions.List", 200}, {"Regions.List", 600}} {
		if err := s.FailOperation(bad.op, bad.status, 1); err == nil {
			t.Errorf("FailOperation(%q, %d) = nil, want an error", bad.op, bad.status)
		}
	}
}

func TestRateLimit(t *testing.T) {
	limit := &sandbox.Limit{PerSecond: 3, Headers: func(h http.Header, s sandbox.LimitState) {
		h.Set("X-Remaining", strconv.Itoa(s.Remaining))
		if s.RetryAfter > 0 {
			h.Set("Retry-After", "1")
		}
	}}
	s := start(t, sandbox.Config{}, limit)
	a, b := s.IssueToken("regions.read").AccessToken, s.IssueToken("regions.read").AccessToken
	var got []answer
	for range 4 {
		got = append(got, call(t, s, "GET", "/regions", a, "X-Remaining"))
	}
	got = append(got, call(t, s, "GET", "/regions", b, "X-Remaining")) // another token has its own window
	want := []answer{{200, "", "2"}, {200, "", "1"}, {200, "", "0"}, {429, "too_many_requests", "0"}, {200, "", "2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	time.Sleep(time.Second)
	if got := call(t, s, "GET", "/regions", a, ""); got.Status != 200 {
		t.Errorf("after a second: %+v, want 200", got)
	}

	off := start(t, sandbox.Config{NoRateLimit: true}, limit)
	tok := off.IssueToken("regions.read").AccessToken
	for i := range 10 {
		if got := call(t, off, "GET", "/regions", tok, ""); got.Status != 200 {
			t.Fatalf("call %d with the limit off: %+v", i, got)
		}
	}
}

func TestRevokeRequestToken(t *testing.T) {
	s := start(t, sandbox.Config{}, nil)
	tok := s.IssueToken("regions.read", "auth.modify").AccessToken
	if got := call(t, s, "POST", "/account/auth/revoke", tok, ""); got.Status != 204 {
		t.Fatalf("revoke: %+v", got)
	}
	if got := call(t, s, "GET", "/regions", tok, ""); got.Status != 401 {
		t.Errorf("after revoking: %+v, want 401", got)
	}
}

// TestFlow runs the authorization-code flow through the consent page with
// onair's auth.Config, over TLS, and calls the API with the token.
func TestFlow(t *testing.T) {
	spec, _ := sandbox.LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	s, err := sandbox.New(sandbox.Provider{Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, User: "u1", Spec: spec,
		API: http.NotFoundHandler(), Error: func(w http.ResponseWriter, status int, _, msg string) { http.Error(w, msg, status) },
		Covers: writeCoversRead}, sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.StartTLS()
	defer s.Close()
	if !strings.HasPrefix(s.Endpoint.TokenURL, "https://127.0.0.1:") || !strings.HasSuffix(s.Endpoint.TokenURL, "/oauth2/access_token") {
		t.Errorf("TokenURL = %s", s.Endpoint.TokenURL)
	}
	cfg := &auth.Config[scopes.Livepush]{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL,
		Scopes: []scopes.Livepush{scopes.LivepushStreamsRead}, Endpoint: s.Endpoint}
	ctx := s.Context(context.Background())

	u, err := cfg.AuthCodeURL("st-1")
	if err != nil {
		t.Fatal(err)
	}
	var ce *sandbox.ConsentError
	if err := s.Deny(ctx, u); !errors.As(err, &ce) || ce.Code != "access_denied" {
		t.Fatalf("Deny = %v, want access_denied", err)
	}
	code, err := s.Approve(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := s.Auth.Lookup(bearer(tok.AccessToken))
	if err != nil || acc.User != "u1" || !cmp.Equal(acc.Scope, []string{"streams.read"}) {
		t.Errorf("the token grants %+v, %v; want user u1 with streams.read", acc, err)
	}
	if _, err := cfg.Exchange(ctx, code); err == nil {
		t.Error("a code was accepted twice")
	}
}

func bearer(tok string) *http.Request {
	r, _ := http.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	return r
}

func TestTokenFaults(t *testing.T) {
	s := start(t, sandbox.Config{}, nil)
	cfg := &auth.Config[scopes.Livepush]{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL,
		Scopes: []scopes.Livepush{scopes.LivepushStreamsRead}, Endpoint: s.Endpoint}
	ctx := context.Background()
	login := func() (string, error) {
		u, _ := cfg.AuthCodeURL("st")
		code, err := s.Approve(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := cfg.Exchange(ctx, code)
		if err != nil {
			return "", err
		}
		return tok.AccessToken, nil
	}
	s.FailToken(sandbox.InvalidGrant(), sandbox.ServerError(), sandbox.MalformedToken())
	for _, want := range []string{"invalid_grant", "500", "token"} {
		_, err := login()
		var ae *auth.Error
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), want) {
			t.Errorf("with a fault: %v, want an *auth.Error mentioning %q", err, want)
		}
	}
	s.FailToken(sandbox.SlowToken(300 * time.Millisecond))
	start := time.Now()
	if _, err := login(); err != nil || time.Since(start) < 300*time.Millisecond {
		t.Errorf("slow token: %v after %v, want success after 300ms", err, time.Since(start))
	}
}

func TestFixedAddress(t *testing.T) {
	s := start(t, sandbox.Config{}, nil)
	addr := strings.TrimPrefix(s.URL, "http://")
	_, err := sandbox.New(sandbox.Provider{Spec: nil, Operation: nil}, sandbox.Config{Addr: addr})
	if err == nil {
		t.Fatal("New without a spec succeeded")
	}
	spec, _ := sandbox.LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	p := sandbox.Provider{Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, Spec: spec, API: http.NotFoundHandler(), Covers: writeCoversRead}
	_, err = sandbox.New(p, sandbox.Config{Addr: addr})
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("listening on a taken address: %v, want an error naming it", err)
	}
}

// A provider without scope rules is refused: the engine has none of its
// own to fall back on.
func TestNoScopeRules(t *testing.T) {
	spec, err := sandbox.LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	if err != nil {
		t.Fatal(err)
	}
	p := sandbox.Provider{Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, Spec: spec, API: http.NotFoundHandler()}
	if _, err := sandbox.New(p, sandbox.Config{}); err == nil || !strings.Contains(err.Error(), "Covers") {
		t.Errorf("New without Covers = %v, want an error naming Provider.Covers", err)
	}
}

// Operation names what a handler dispatches itself; it does not stand in
// for the spec, which routes every request: New refuses a provider without
// one rather than panic.
func TestNoSpec(t *testing.T) {
	p := sandbox.Provider{
		Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, API: http.NotFoundHandler(), Covers: writeCoversRead,
		Operation: func(*apispec.Operation) string { return "" },
	}
	if _, err := sandbox.New(p, sandbox.Config{}); err == nil || !strings.Contains(err.Error(), "spec") {
		t.Errorf("New without Spec = %v, want an error saying the provider has no spec", err)
	}
}
