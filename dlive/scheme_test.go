package dlive_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// The client learns DLive's scheme, the token with none, from
// dlive.Endpoint alone: a token source that package auth did not make, and
// that knows nothing of DLive, works as auth's own does. The sandbox, as
// DLive, refuses "Bearer x": the last case, whose wire adds the scheme,
// shows that it would catch a client that sent one.
func TestAnyTokenSourceSendsTheBareToken(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.DLiveIdentity)
	tests := []struct {
		name   string
		src    oauth2.TokenSource
		bearer bool // the wire prefixes what the client sent with "Bearer "
	}{
		{"oauth2.StaticTokenSource", oauth2.StaticTokenSource(tok), false},
		{"oauth2.ReuseTokenSource", oauth2.ReuseTokenSource(nil, oauth2.StaticTokenSource(tok)), false},
		{"the application's own source", appSource{tok}, false},
		{"auth.Config.TokenSource", srv.Config(scopes.DLiveIdentity).TokenSource(context.Background(), tok), false},
		{"sent as Bearer", oauth2.StaticTokenSource(tok), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &authWire{base: &http.Transport{}, bearer: tc.bearer}
			defer w.base.CloseIdleConnections()
			client, err := dlive.NewClient(tc.src, dlive.WithBaseURL(srv.URL), dlive.WithHTTPClient(&http.Client{Transport: w}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.Me(context.Background())
			if got := w.sent(); got != tok.AccessToken {
				t.Errorf("the client sent Authorization %q, want the bare token %q", got, tok.AccessToken)
			}
			var apiErr *dlive.Error
			switch {
			case !tc.bearer && err != nil:
				t.Errorf("Me with the bare token: %v", err)
			case tc.bearer && !(errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized):
				t.Errorf("Me with a Bearer token: %v, want a 401 *dlive.Error (the sandbox must refuse the scheme)", err)
			}
		})
	}
}

// appSource is a token source of the application's own, outside package
// auth and golang.org/x/oauth2.
type appSource struct{ tok *oauth2.Token }

func (s appSource) Token() (*oauth2.Token, error) { return s.tok, nil }

// authWire records the Authorization header the client sent, and with
// bearer set sends it on as "Bearer <header>".
type authWire struct {
	base   *http.Transport
	bearer bool

	mu   sync.Mutex
	last string
}

func (w *authWire) RoundTrip(req *http.Request) (*http.Response, error) {
	h := req.Header.Get("Authorization")
	w.mu.Lock()
	w.last = h
	w.mu.Unlock()
	if w.bearer {
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+h)
	}
	return w.base.RoundTrip(req)
}

func (w *authWire) sent() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}
