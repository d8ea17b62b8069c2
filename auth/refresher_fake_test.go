package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
)

// procHeader names the process a token request comes from, for the
// counts the fake keeps by process.
const procHeader = "X-Refresher-Process"

// countingFake is the DLive authorization server of internal/authserver
// (single-use refresh tokens) behind a handler that counts, by refresh
// token, the refreshes it answered and refused, and the token requests in
// flight, by process. Hooks can hold a request before it reaches the
// server, or after the server answered and before the client gets it.
type countingFake struct {
	*authserver.Server
	http   *httptest.Server
	client authserver.Client
	ep     auth.Endpoint

	mu          sync.Mutex
	inflight    map[string]int
	maxInflight map[string]int
	arrived     int               // refresh requests so far
	answered    map[string]int    // by refresh token presented: answered with a new pair
	refused     map[string]int    // by refresh token presented: answered invalid_grant
	by          map[string]string // by refresh token presented: the process whose request it answered
	successor   map[string]string // refresh token presented → refresh token issued

	// before runs when a refresh request arrives, after it is counted in
	// flight; after runs once the server has answered it with a new pair
	// and before the client gets the answer. Either may block, and may
	// answer w itself and report true to drop the server's answer.
	before func(w http.ResponseWriter, proc string) bool
	after  func(proc string)
}

func startCountingFake(t testing.TB) *countingFake {
	t.Helper()
	c := authserver.Client{ID: "client-dlive", Secret: "secret-refresher", Name: "refresher test", RedirectURIs: []string{redirectURI}}
	f := &countingFake{
		Server: authserver.New(dlivetest.Dialect(), c), client: c,
		inflight: map[string]int{}, maxInflight: map[string]int{},
		answered: map[string]int{}, refused: map[string]int{}, by: map[string]string{}, successor: map[string]string{},
	}
	f.SetAutoApprove(true)
	mux := http.NewServeMux()
	f.Mount(mux, dlive.Endpoint)
	f.http = httptest.NewServer(wrapToken(urlPathOf(dlive.Endpoint.TokenURL), f.token, mux))
	t.Cleanup(f.http.Close)
	f.ep = authserver.Rebase(dlive.Endpoint, f.http.URL)
	return f
}

func urlPathOf(raw string) string {
	u, _ := url.Parse(raw)
	return u.EscapedPath()
}

// wrapToken sends the refresh requests to path to token, and the rest to next.
func wrapToken(path string, token http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path && r.Method == http.MethodPost && r.ParseForm() == nil && r.PostForm.Get("grant_type") == "refresh_token" {
			token(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (f *countingFake) config() *auth.Config[scopes.DLive] {
	return &auth.Config[scopes.DLive]{ClientID: f.client.ID, ClientSecret: f.client.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.DLive{scopes.DLiveIdentity}, Endpoint: f.ep}
}

func (f *countingFake) token(w http.ResponseWriter, r *http.Request) {
	proc := r.Header.Get(procHeader)
	f.mu.Lock()
	f.arrived++
	f.inflight[proc]++
	f.maxInflight[proc] = max(f.maxInflight[proc], f.inflight[proc])
	before, after := f.before, f.after
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight[proc]--
		f.mu.Unlock()
	}()
	if before != nil && before(w, proc) {
		return
	}
	rec := httptest.NewRecorder()
	f.Server.Token(rec, r)
	presented := r.PostForm.Get("refresh_token")
	var body struct {
		RefreshToken string `json:"refresh_token"`
		Error        string `json:"error"`
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	f.mu.Lock()
	switch {
	case rec.Code == http.StatusOK:
		f.answered[presented]++
		f.by[presented] = proc
		f.successor[presented] = body.RefreshToken
	case body.Error == "invalid_grant":
		f.refused[presented]++
	}
	f.mu.Unlock()
	if rec.Code == http.StatusOK && after != nil {
		after(proc)
	}
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (f *countingFake) setHooks(before func(http.ResponseWriter, string) bool, after func(string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.before, f.after = before, after
}

// counts returns, for refresh token rt, how often the fake answered it
// with a new pair and how often it refused it.
func (f *countingFake) counts(rt string) (answered, refused int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answered[rt], f.refused[rt]
}

func (f *countingFake) max(proc string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInflight[proc]
}

// authorizeUsers runs the code flow n times, 8 at a time, and returns the
// pairs, as DLive issues them (30 days).
func (f *countingFake) authorizeUsers(ctx context.Context, n int) ([]*oauth2.Token, error) {
	cfg := f.config()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	toks := make([]*oauth2.Token, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range next {
				toks[i], errs[i] = authorizeOne(ctx, cfg, noFollow)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return toks, errors.Join(errs...)
}

func authorizeOne(ctx context.Context, cfg *auth.Config[scopes.DLive], noFollow *http.Client) (*oauth2.Token, error) {
	u, err := cfg.AuthCodeURL("state")
	if err != nil {
		return nil, err
	}
	res, err := noFollow.Get(u)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		return nil, fmt.Errorf("authorize answered HTTP %d without a code", res.StatusCode)
	}
	return cfg.Exchange(ctx, loc.Query().Get("code"))
}
