package auth_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

// A Livestorm consent URL with state and PKCE. The verifier stays with the
// application (bound to the state) until the callback's code is exchanged.
func ExampleConfig_AuthCodeURL() {
	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:    "my-client-id",
		RedirectURL: "https://app.example/oauth/livestorm",
		Scopes:      []scopes.Livestorm{scopes.LivestormEventsRead, scopes.LivestormWebhooksWrite},
		Endpoint:    livestorm.Endpoint,
	}
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // use oauth2.GenerateVerifier()
	u, err := cfg.AuthCodeURL("random-state", oauth2.S256ChallengeOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	q, _ := url.Parse(u)
	fmt.Println(q.Host + q.Path)
	fmt.Println("scope:", q.Query().Get("scope"))
	fmt.Println("code_challenge:", q.Query().Get("code_challenge"))

	// Livepush wants its scopes comma-separated; the Config knows.
	lp := &auth.Config[scopes.Livepush]{ClientID: "id", RedirectURL: "https://app.example/cb",
		Scopes: []scopes.Livepush{scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate}, Endpoint: livepush.Endpoint}
	u, _ = lp.AuthCodeURL("random-state")
	q, _ = url.Parse(u)
	fmt.Println("livepush scope:", q.Query().Get("scope"))
	// Output:
	// app.livestorm.co/oauth/authorize
	// scope: events:read webhooks:write
	// code_challenge: E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
	// livepush scope: streams.read,streams.create
}

// Scope rules fail before any network call.
func ExampleConfig_AuthCodeURL_scopeRules() {
	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:    "my-client-id",
		RedirectURL: "https://app.example/oauth/livestorm",
		Scopes:      []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormEventsRead},
		Endpoint:    livestorm.Endpoint,
	}
	_, err := cfg.AuthCodeURL("random-state")
	fmt.Println(err)
	// Output:
	// auth: Config.Scopes: scopes: livestorm: "full:write" must be the only scope, got [full:write events:read]
}

// The callback handler of a web application: check the state, exchange the
// code with the PKCE verifier, and keep an HTTP client whose token refreshes
// itself and is saved whenever it changes.
func ExampleConfig_Exchange() {
	cfg := &auth.Config[scopes.DLive]{
		ClientID:     "my-app-id",
		ClientSecret: "my-app-secret",
		RedirectURL:  "https://app.example/oauth/dlive",
		Scopes:       []scopes.DLive{scopes.DLiveIdentity, scopes.DLiveChatWrite},
		Endpoint:     dlive.Endpoint,
	}
	callback := func(w http.ResponseWriter, r *http.Request, wantState, verifier string) {
		if r.FormValue("state") != wantState {
			http.Error(w, "state mismatch", http.StatusBadRequest)
			return
		}
		tok, err := cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			http.Error(w, "login failed", http.StatusBadGateway)
			return
		}
		// DLive refresh tokens are single use: persist each new pair
		// before it is used.
		save := auth.OnToken(func(ctx context.Context, tok *oauth2.Token) error {
			return nil // write tok to your database here
		})
		client := cfg.Client(context.Background(), tok, save)
		_ = client // carries the bare token DLive expects
	}
	_ = callback
}

// Streamdiver issues application tokens per tenant realm; the source asks
// for a new one when the current one nears expiry.
func ExampleConfig_ClientCredentialsTokenSource() {
	cfg := &auth.Config[scopes.Streamdiver]{
		ClientID:     "my-client-id",
		ClientSecret: "my-client-secret",
		Endpoint:     streamdiver.Endpoint("acme"),
	}
	client := &http.Client{Transport: cfg.Transport(cfg.ClientCredentialsTokenSource(context.Background()), nil)}
	_ = client // use with https://api.streamdiver.com/v2
}
