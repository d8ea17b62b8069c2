package livepush_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/scopes"
)

// An application asks Livepush for the scopes its calls need, keeps the
// user's token, creates a stream and reads it back.
func Example() {
	// A stand-in for Livepush's API hosts, so that the example runs; a real
	// application leaves out WithBaseURL.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"id":"st_k2j4h6g8f0d1s","createdAt":"2026-11-22T10:00:00Z","metadata":{"name":"Sunday service","category":"simulcast"},"config":{},"destinations":[],"zone":"zn_a1b2c3d4e"}`)
			return
		}
		io.WriteString(w, `{"id":"st_k2j4h6g8f0d1s","createdAt":"2026-11-22T10:00:00Z","metadata":{"name":"Sunday service","category":"simulcast"},"config":{},"destinations":[],"zone":{"category":"public","host":"stream.livepush.io","isPublic":true,"isDefault":true}}`)
	}))
	defer srv.Close()

	ctx := context.Background()
	need, err := livepush.LeastPrivilege(livepush.OpStreamsCreate, livepush.OpStreamsGet)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &auth.Config[scopes.Livepush]{
		ClientID:     "my-client-id",
		ClientSecret: "my-client-secret",
		RedirectURL:  "https://app.example/oauth/livepush",
		Scopes:       need,
		Endpoint:     livepush.Endpoint,
	}
	consent, err := cfg.AuthCodeURL("state-4f1c")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("consent:", consent)

	// The callback exchanges the code (cfg.Exchange) and the application
	// stores the token; here, one it stored earlier.
	tok := &oauth2.Token{AccessToken: "stored-access-token", RefreshToken: "stored-refresh-token",
		TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	client, err := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	created, err := client.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "Sunday service", Category: livepush.StreamCategorySimulcast})
	if err != nil {
		log.Fatal(err)
	}
	stream, err := client.Streams.Get(ctx, created.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stream.ID, stream.Metadata.Name, "ingests at", stream.Zone.Host)
	// Output:
	// consent: https://id.livepush.io/oauth2/authorize?client_id=my-client-id&redirect_uri=https%3A%2F%2Fapp.example%2Foauth%2Flivepush&response_type=code&scope=streams.create%2Cstreams.read&state=state-4f1c
	// st_k2j4h6g8f0d1s Sunday service ingests at stream.livepush.io
}
