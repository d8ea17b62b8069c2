package wirelog_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// The secrets of the grants. Each holds characters that the encodings
// change ('/', '+', '=', '~', '.').
const (
	grantCode     = "ac+7Hn/Pq=Rt.88Sd~Fg"
	grantVerifier = "pv-Zt4~Yb8.Uc6_Ld2-Xe0~Wf5.Ma3_Ng1-Ok7~Pj9.Qi"
	grantRefresh  = "rt/Gq2+Hw4=Jy6.Kc8~Lv"
	grantAccess   = "at.Kz3+Lx5/Mv7=Nb9~Pc"
	wrongSecret   = "ws/Ab1+Cd2=Ef3~Gh.4I"
	// What a malformed answer issues.
	issuedAccess  = "ia.Qd1/Re3+Sf5=Tg7~Uh"
	issuedRefresh = "ir~Vj2/Wk4+Xl6=Ym8.Zn"
)

const grantRedirect = "http://127.0.0.1/callback"

// grant is one grant of one dialect: it runs against e, logging through l.
type grant struct {
	name string
	// sends are the secrets of the request besides the client's, which
	// an answer may echo.
	sends []string
	// revoke marks the revocation, whose faults a server of the test's
	// answers, as the fake injects none there.
	revoke bool
	run    func(ctx context.Context, l *slog.Logger, e auth.Endpoint, secret string) error
}

func grantsOf[S scopes.Scope](d authserver.Dialect, e auth.Endpoint, id string) []grant {
	config := func(e auth.Endpoint, secret string) *auth.Config[S] {
		return &auth.Config[S]{ClientID: id, ClientSecret: secret, RedirectURL: grantRedirect, Endpoint: e}
	}
	var gs []grant
	if d.AuthorizationCode {
		gs = append(gs, grant{name: "exchange", sends: []string{grantCode, grantVerifier}, run: func(ctx context.Context, l *slog.Logger, e auth.Endpoint, secret string) error {
			_, err := config(e, secret).Exchange(wirelog.TokenContext(ctx, l), grantCode, oauth2.VerifierOption(grantVerifier))
			return err
		}})
	}
	if d.RefreshTokens {
		gs = append(gs,
			grant{name: "refresh", sends: []string{grantRefresh}, run: func(ctx context.Context, l *slog.Logger, e auth.Endpoint, secret string) error {
				_, err := config(e, secret).Refresh(wirelog.TokenContext(ctx, l), grantRefresh)
				return err
			}},
			grant{name: "refresh by a token source", sends: []string{grantRefresh}, run: func(ctx context.Context, l *slog.Logger, e auth.Endpoint, secret string) error {
				old := &oauth2.Token{AccessToken: grantAccess, RefreshToken: grantRefresh, Expiry: time.Now().Add(-time.Hour)}
				_, err := config(e, secret).TokenSource(ctx, old, auth.WithLogger(l)).Token()
				return err
			}})
	}
	if d.ClientCredentials {
		gs = append(gs, grant{name: "client credentials", run: func(ctx context.Context, l *slog.Logger, e auth.Endpoint, secret string) error {
			_, err := config(e, secret).ClientCredentials(wirelog.TokenContext(ctx, l))
			return err
		}})
	}
	if e.RevokeURL != "" {
		gs = append(gs, grant{name: "revocation", revoke: true, sends: []string{grantRefresh, grantAccess}, run: func(ctx context.Context, l *slog.Logger, e auth.Endpoint, secret string) error {
			return config(e, secret).Revoke(wirelog.TokenContext(ctx, l), &oauth2.Token{AccessToken: grantAccess, RefreshToken: grantRefresh})
		}})
	}
	return gs
}

// failure is one way a token or revocation endpoint fails.
type failure struct {
	name    string
	fault   authserver.Fault // answered instead of the right answer
	network bool             // the endpoint's port is closed instead
	// wrongSecret sends wrongSecret as the client secret, which the fake
	// refuses with invalid_client.
	wrongSecret bool
	skip        bool // not an error for this grant: a revocation's answer has no body to read
}

// failures are the error paths of g; echo quotes the request's secrets
// back, each in another encoding.
func failures(g grant, id, secret string) []failure {
	basic := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
	desc := "cannot use client_secret=" + secret
	for i, s := range g.sends {
		switch i % 3 {
		case 0:
			desc += " got " + s
		case 1:
			desc += " then " + url.QueryEscape(s)
		case 2:
			desc += " and " + base64.StdEncoding.EncodeToString([]byte(s))
		}
	}
	// Last: a redactor blanks the rest of the line after Authorization.
	desc += " Authorization: Basic " + basic
	echo, _ := json.Marshal(map[string]string{"error": "invalid_request", "error_description": desc})
	return []failure{
		{name: "invalid_grant", fault: authserver.Fault{Code: "invalid_grant"}},
		{name: "invalid_client", fault: authserver.Fault{Status: http.StatusUnauthorized, Code: "invalid_client"}},
		{name: "invalid_client for a wrong secret", wrongSecret: true},
		{name: "5xx page", fault: authserver.Fault{Status: http.StatusServiceUnavailable, Body: "<html><body>Service Unavailable</body></html>"}},
		{name: "malformed answer", skip: g.revoke, fault: authserver.Fault{Status: http.StatusOK, ContentType: "application/json",
			Body: `{"access_token":"` + issuedAccess + `","refresh_token":"` + issuedRefresh + `","expires_in":36`}},
		{name: "answer echoing the secrets", fault: authserver.Fault{Status: http.StatusBadRequest, ContentType: "application/json", Body: string(echo)}},
		{name: "network failure", network: true},
	}
}

// TestGrantErrorsLogNoSecret runs every grant of every provider's dialect,
// against the fake authorization server its sandbox serves, through every
// failure, logging the exchange at debug level (the wire log that
// auth.WithLogger and onair --debug use) and then the error, through a
// text and a JSON handler; no secret may appear in the output, in any
// encoding.
func TestGrantErrorsLogNoSecret(t *testing.T) {
	for _, p := range []struct {
		name     string
		dialect  authserver.Dialect
		endpoint auth.Endpoint
		grants   func(d authserver.Dialect, e auth.Endpoint, id string) []grant
	}{
		{"livepush", livepushtest.Dialect(), livepush.Endpoint, grantsOf[scopes.Livepush]},
		{"livestorm", livestormtest.Dialect(), livestorm.Endpoint, grantsOf[scopes.Livestorm]},
		{"streamdiver", streamdivertest.Dialect(), streamdiver.Endpoint("acme"), grantsOf[scopes.Streamdiver]},
		{"dlive", dlivetest.Dialect(), dlive.Endpoint, grantsOf[scopes.DLive]},
	} {
		f := authserver.Start(p.dialect, p.endpoint, grantRedirect)
		defer f.Close()
		grants := p.grants(p.dialect, f.Endpoint, f.Client.ID)
		if len(grants) < 2 {
			t.Fatalf("%s: only %d grants", p.name, len(grants))
		}
		for _, g := range grants {
			for _, fl := range failures(g, f.Client.ID, f.Client.Secret) {
				if fl.skip {
					continue
				}
				t.Run(p.name+"/"+g.name+"/"+fl.name, func(t *testing.T) {
					e, secret := f.Endpoint, f.Client.Secret
					switch {
					case fl.wrongSecret:
						secret = wrongSecret
					case fl.network:
						e.TokenURL, e.RevokeURL = closedURL(t), closedURL(t)
					case g.revoke:
						e.RevokeURL = answerServer(t, fl.fault)
					default:
						f.Fail(fl.fault)
					}
					var text, js bytes.Buffer
					l := slog.New(tee{
						slog.NewTextHandler(&text, &slog.HandlerOptions{Level: slog.LevelDebug}),
						slog.NewJSONHandler(&js, &slog.HandlerOptions{Level: slog.LevelDebug}),
					})
					err := g.run(t.Context(), l, e, secret)
					if err == nil {
						if fl.name == "invalid_grant" && g.revoke {
							return // RFC 7009 has no invalid_grant: a 400 may pass
						}
						t.Fatal("no error")
					}
					l.Error("grant failed", slog.Any("err", err))
					out := text.String() + js.String()
					if !strings.Contains(text.String(), `msg="onair: HTTP exchange"`) || !strings.Contains(text.String(), `msg="grant failed" err`) {
						t.Errorf("the log lacks the exchange or the error:\n%s", out)
					}
					if g.name == "refresh by a token source" && !strings.Contains(text.String(), `level=WARN msg="onair: token refresh failed"`) {
						t.Errorf("the source's logger did not warn of the failed refresh:\n%s", out)
					}
					for name, s := range map[string]string{
						"client secret": f.Client.Secret, "wrong client secret": wrongSecret, "code": grantCode, "verifier": grantVerifier,
						"refresh token": grantRefresh, "access token": grantAccess, "issued access token": issuedAccess, "issued refresh token": issuedRefresh,
					} {
						if form, ok := leaktest.Find(out, s); ok {
							t.Errorf("the log shows the %s (%s):\n%s", name, form, out)
						}
					}
				})
			}
		}
	}
}

// closedURL returns a URL at a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	return "http://" + ln.Addr().String() + "/oauth/revoke"
}

// answerServer answers every request with f, as the fake answers a
// token request with an injected fault.
func answerServer(t *testing.T, f authserver.Fault) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if f.Code != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(cmp.Or(f.Status, http.StatusBadRequest))
			json.NewEncoder(w).Encode(map[string]string{"error": f.Code})
			return
		}
		w.Header().Set("Content-Type", cmp.Or(f.ContentType, "text/html; charset=utf-8"))
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/oauth/revoke"
}

// tee is a slog.Handler that hands each record to every handler.
type tee []slog.Handler

func (t tee) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range t {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (t tee) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range t {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t tee) WithAttrs(attrs []slog.Attr) slog.Handler {
	u := make(tee, len(t))
	for i, h := range t {
		u[i] = h.WithAttrs(attrs)
	}
	return u
}

func (t tee) WithGroup(name string) slog.Handler {
	u := make(tee, len(t))
	for i, h := range t {
		u[i] = h.WithGroup(name)
	}
	return u
}
