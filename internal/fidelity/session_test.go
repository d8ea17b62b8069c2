package fidelity_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// session is a recorded sandbox session of every provider, and every
// secret it used, as the test saw them.
type session struct {
	rec     *cassette.Recorder
	client  *http.Client
	secrets []string
}

func (s *session) secret(t *testing.T, vs ...string) {
	t.Helper()
	for _, v := range vs {
		if v == "" {
			t.Fatal("a secret of the session is empty")
		}
	}
	s.secrets = append(s.secrets, vs...)
}

// ctx returns a context whose requests, token requests included, are
// recorded under provider.
func (s *session) ctx(provider string) context.Context {
	return context.WithValue(cassette.WithProvider(context.Background(), provider), oauth2.HTTPClient, s.client)
}

// authorize runs the code flow with state and PKCE, the consent page
// approved over HTTP by the sandbox, and notes its secrets.
func authorize[S scopes.Scope](t *testing.T, s *session, ctx context.Context, cfg *auth.Config[S], approve func(context.Context, string) (string, error)) *oauth2.Token {
	t.Helper()
	verifier, state := oauth2.GenerateVerifier(), "state-"+oauth2.GenerateVerifier()[:20]
	authURL, err := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	code, err := approve(context.Background(), authURL)
	if err != nil {
		t.Fatalf("consent: %v", err)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	s.secret(t, verifier, state, code, tok.AccessToken)
	if tok.RefreshToken != "" {
		s.secret(t, tok.RefreshToken)
	}
	return tok
}

func record(t *testing.T) *session {
	s := &session{rec: cassette.NewRecorder("livepush", nil)}
	s.client = &http.Client{Transport: s.rec}

	// Livepush: code flow, a stream created and read back, a refresh.
	{
		srv, err := livepushtest.NewUnstartedServer(livepushtest.WithAutoApprove())
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		defer srv.Close()
		ctx := s.ctx("livepush")
		s.secret(t, srv.ClientSecret)
		need, err := livepush.LeastPrivilege(livepush.OpStreamsCreate, livepush.OpStreamsGet)
		if err != nil {
			t.Fatal(err)
		}
		cfg := srv.Config(need...)
		tok := authorize(t, s, ctx, cfg, srv.Approve)
		c, err := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL), livepush.WithHTTPClient(s.client))
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "recorded", Category: livepush.StreamCategorySimulcast})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Streams.Get(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken != "" {
			next, err := cfg.Refresh(ctx, tok.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			s.secret(t, next.AccessToken)
		}
	}
	// Livestorm: code flow, events listed page by page.
	{
		srv, err := livestormtest.NewUnstartedServer(livestormtest.WithAutoApprove())
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		defer srv.Close()
		ctx := s.ctx("livestorm")
		s.secret(t, srv.ClientSecret)
		cfg := srv.Config(scopes.LivestormEventsRead)
		tok := authorize(t, s, ctx, cfg, srv.Approve)
		c, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL), livestorm.WithHTTPClient(s.client))
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range c.Events.List(ctx, nil) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	// Streamdiver: client credentials, media listed and one read.
	{
		srv, err := streamdivertest.NewUnstartedServer()
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		defer srv.Close()
		ctx := s.ctx("streamdiver")
		s.secret(t, srv.ClientSecret)
		src := srv.Config().ClientCredentialsTokenSource(ctx)
		tok, err := src.Token()
		if err != nil {
			t.Fatal(err)
		}
		s.secret(t, tok.AccessToken)
		c, err := streamdiver.NewClient(src, streamdiver.WithBaseURL(srv.URL), streamdiver.WithHTTPClient(s.client))
		if err != nil {
			t.Fatal(err)
		}
		var first string
		for m, err := range c.Media.List(ctx, nil) {
			if err != nil {
				t.Fatal(err)
			}
			first = m.ID
			break
		}
		if _, err := c.Media.Get(ctx, first); err != nil {
			t.Fatal(err)
		}
	}
	// DLive: code flow with HTTP Basic, the user read with a bare token,
	// a refresh, an app token.
	{
		srv, err := dlivetest.NewUnstartedServer(dlivetest.WithAutoApprove())
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		defer srv.Close()
		ctx := s.ctx("dlive")
		s.secret(t, srv.ClientSecret, base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(srv.ClientID)+":"+url.QueryEscape(srv.ClientSecret))))
		need, err := dlive.LeastPrivilege(dlive.OpUsersMe)
		if err != nil {
			t.Fatal(err)
		}
		cfg := srv.Config(need...)
		tok := authorize(t, s, ctx, cfg, srv.Approve)
		c, err := dlive.NewClient(cfg.TokenSource(ctx, tok), dlive.WithBaseURL(srv.URL), dlive.WithHTTPClient(s.client))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Me(ctx); err != nil {
			t.Fatal(err)
		}
		next, err := cfg.Refresh(ctx, tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		s.secret(t, next.AccessToken, next.RefreshToken)
		app, err := cfg.ClientCredentials(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s.secret(t, app.AccessToken)
	}
	return s
}

// A cassette of a sandbox session of every provider holds no secret the
// session used, in any of the forms they travel in.
func TestSessionCassetteHoldsNoSecret(t *testing.T) {
	s := record(t)
	path := filepath.Join(t.TempDir(), "session.json")
	if err := s.rec.Save(path); err != nil {
		t.Fatalf("Save: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range s.secrets {
		if form, ok := leaktest.Find(string(data), secret); ok {
			t.Errorf("the cassette holds a secret of the session (%.4s…), %s", secret, form)
		}
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := range c.Interactions {
		seen[c.ProviderOf(i)] = true
	}
	for _, p := range []string{"livepush", "livestorm", "streamdiver", "dlive"} {
		if !seen[p] {
			t.Errorf("no interaction of %s recorded", p)
		}
	}
}
