package livestorm_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

// An application asks Livestorm for the scopes its calls need, with PKCE,
// keeps the user's token, and lists every event page by page; a call
// outside the granted scopes is refused before any request.
func Example() {
	// A stand-in for https://api.livestorm.co/v1 serving two pages of
	// events, so that the example runs; a real application leaves out
	// WithBaseURL.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.api+json")
		switch r.URL.Query().Get("page[number]") {
		case "", "0":
			fmt.Fprint(w, `{"data":[{"id":"0b9d1c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e","type":"events","attributes":{"title":"Product tour"}}],"meta":{"current_page":0,"next_page":1}}`)
		case "1":
			fmt.Fprint(w, `{"data":[{"id":"1c0e2d5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f","type":"events","attributes":{"title":"Quarterly update"}}],"meta":{"current_page":1,"next_page":null}}`)
		default:
			http.Error(w, `{"errors":[{"status":"bad_request"}]}`, http.StatusBadRequest)
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	need, err := livestorm.LeastPrivilege(livestorm.OpEventsList)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:     "my-partner-client-id",
		ClientSecret: "my-partner-client-secret",
		RedirectURL:  "https://app.example/oauth/livestorm",
		Scopes:       need,
		Endpoint:     livestorm.Endpoint,
	}
	verifier := oauth2.GenerateVerifier() // kept with the state until the callback
	if _, err := cfg.AuthCodeURL("state-4f1c", oauth2.S256ChallengeOption(verifier)); err != nil {
		log.Fatal(err)
	}
	fmt.Println("asking for", need)

	// The callback calls cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	// and the application stores the token; here, one it stored earlier.
	tok := (&oauth2.Token{AccessToken: "stored-access-token", RefreshToken: "stored-refresh-token",
		TokenType: "Bearer", Expiry: time.Now().Add(2 * time.Hour)}).WithExtra(map[string]any{"scope": scopes.Join(need...)})
	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	for ev, err := range client.Events.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.Title)
	}
	// A call the token was not granted a scope for fails before any request.
	_, err = client.Events.Create(ctx, livestorm.CreateEventRequest{})
	fmt.Println(err)
	// Output:
	// asking for [events:read]
	// Product tour
	// Quarterly update
	// livestorm: Events.Create needs scope events:write, which the token was not granted (granted: [events:read]): scope not granted
}
