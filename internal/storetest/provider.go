package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
)

const redirectURI = "http://127.0.0.1:9/cb"

// provider is the DLive fake of internal/authserver (single-use refresh
// tokens), served with a log of every refresh it answered.
type provider struct {
	*authserver.Server
	http   *httptest.Server
	client authserver.Client
	ep     auth.Endpoint
	apiURL string

	inflight atomic.Int32 // token requests being answered

	// delay holds each refresh answer back, as a provider across the
	// internet would: set before the first request.
	delay time.Duration

	mu sync.Mutex
	// conns are the open connections that may be a child process's: a
	// killed child's request can still be in one, unread, when its process
	// is gone. A connection counts from its opening until it closes or a
	// request on it turns out not to be a child's (no childHeader).
	conns map[net.Conn]struct{}
	log   []refresh
	hold  func(r *http.Request) bool // when it reports true, the request is held until its client goes
	held  chan struct{}              // a held request arrived
}

// refresh is one refresh request and the fake's answer to it.
type refresh struct {
	Sent      time.Time // by the client's clock (sentHeader); zero if not stamped
	Arrived   time.Time
	Answered  time.Time
	Presented string // the refresh token sent
	Status    int
	Error     string // the error code of a failure
	Access    string // the access token issued
	Refresh   string // the refresh token issued
}

func startProvider(t testing.TB, lifetime time.Duration) *provider {
	t.Helper()
	c := authserver.Client{ID: "client-dlive", Secret: "secret-" + time.Now().Format("150405.000000000"), Name: "storetest", RedirectURIs: []string{redirectURI}}
	s := authserver.New(dlivetest.Dialect(), c)
	s.SetAutoApprove(true)
	s.SetLifetime(lifetime)
	p := &provider{Server: s, client: c, held: make(chan struct{}, 16), conns: map[net.Conn]struct{}{}}
	mux := http.NewServeMux()
	mux.HandleFunc(urlPath(dlive.Endpoint.AuthURL), s.Authorize)
	mux.HandleFunc(urlPath(dlive.Endpoint.TokenURL), p.token)
	mux.Handle("/api/check", s.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	})))
	p.http = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.sort(r)
		mux.ServeHTTP(w, r)
	}))
	p.http.Config.ConnState = p.connState
	p.http.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c)
	}
	p.http.Start()
	t.Cleanup(p.http.Close)
	p.ep = dlive.Endpoint
	p.ep.AuthURL = p.http.URL + urlPath(dlive.Endpoint.AuthURL)
	p.ep.TokenURL = p.http.URL + urlPath(dlive.Endpoint.TokenURL)
	p.apiURL = p.http.URL + "/api/check"
	return p
}

func urlPath(raw string) string {
	u, _ := url.Parse(raw)
	return u.EscapedPath()
}

// connKey is the context key of a request's connection.
type connKey struct{}

// connState adds a new connection to conns and removes a closed one.
func (p *provider) connState(c net.Conn, s http.ConnState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch s {
	case http.StateNew:
		p.conns[c] = struct{}{}
	case http.StateClosed, http.StateHijacked:
		delete(p.conns, c)
	}
}

// sort removes r's connection from conns unless r is a child's. It runs
// before any handler, so a child's request is waited for from the moment
// its connection opened.
func (p *provider) sort(r *http.Request) {
	c, ok := r.Context().Value(connKey{}).(net.Conn)
	if !ok || r.Header.Get(childHeader) != "" {
		return
	}
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// token is the fake's token endpoint, with the log kept.
func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	arrived := time.Now()
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "refresh_token" {
		p.Server.Token(w, r)
		return
	}
	p.mu.Lock()
	hold := p.hold
	p.mu.Unlock()
	if hold != nil && hold(r) {
		p.held <- struct{}{}
		<-r.Context().Done() // the client went away: never answered
		return
	}
	time.Sleep(p.delay)
	rec := &teeWriter{ResponseWriter: w, status: http.StatusOK}
	p.Server.Token(rec, r)
	e := refresh{Arrived: arrived, Answered: time.Now(), Presented: r.PostForm.Get("refresh_token"), Status: rec.status}
	if ns, err := strconv.ParseInt(r.Header.Get(sentHeader), 10, 64); err == nil {
		e.Sent = time.Unix(0, ns)
	}
	var body struct{ AccessToken, RefreshToken, Error string }
	var raw map[string]any
	if json.Unmarshal(rec.body.Bytes(), &raw) == nil {
		body.AccessToken, _ = raw["access_token"].(string)
		body.RefreshToken, _ = raw["refresh_token"].(string)
		body.Error, _ = raw["error"].(string)
	}
	e.Access, e.Refresh, e.Error = body.AccessToken, body.RefreshToken, body.Error
	p.mu.Lock()
	p.log = append(p.log, e)
	p.mu.Unlock()
}

// quiet waits until no token request is being answered, so that the log
// holds the answer to a request whose client was just killed.
//
// A request of a killed child can still wait, unread, in a connection its
// process left behind, and be answered later (spending the refresh token
// the test is about to use), so quiet also waits until every connection
// that may be a child's (conns) is closed.
func (p *provider) quiet(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.inflight.Load() > 0 || p.openConns() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("a token request is still being answered, or a child's connection still open, after 10s")
		}
		time.Sleep(time.Millisecond)
	}
}

func (p *provider) openConns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// refreshes returns the log so far.
func (p *provider) refreshes() []refresh {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]refresh(nil), p.log...)
}

func (p *provider) setHold(f func(*http.Request) bool) {
	p.mu.Lock()
	p.hold = f
	p.mu.Unlock()
}

type teeWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// config is the application's client of the fake.
func (p *provider) config() *auth.Config[scopes.DLive] {
	return configFor(p.ep, p.client.ID, p.client.Secret)
}

func configFor(ep auth.Endpoint, id, secret string) *auth.Config[scopes.DLive] {
	return &auth.Config[scopes.DLive]{
		ClientID: id, ClientSecret: secret, RedirectURL: redirectURI,
		Scopes: []scopes.DLive{scopes.DLiveIdentity}, Endpoint: ep,
	}
}

// authorize runs the code flow and one refresh, so that the pair it
// returns has the fake's current lifetime (DLive's code answers have none).
func (p *provider) authorize(t testing.TB) *oauth2.Token {
	t.Helper()
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: &timed{base: http.DefaultTransport, stamp: true}})
	cfg := p.config()
	consent, err := cfg.AuthCodeURL("state")
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(consent)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("no code in the consent answer (HTTP %d)", res.StatusCode)
	}
	tok, err := cfg.Exchange(ctx, loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err = cfg.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// call makes one API call with tok.
func (p *provider) call(tok *oauth2.Token) error {
	req, _ := http.NewRequest(http.MethodGet, p.apiURL, nil)
	req.Header.Set("Authorization", tok.AccessToken) // DLive: bare
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("API answered HTTP %d", res.StatusCode)
	}
	return nil
}
