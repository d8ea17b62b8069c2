package cassette_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// Record a session: give the Recorder's client to the typed client and,
// under oauth2.HTTPClient, to the token requests, make the calls, and
// save. With a real account, use your app's auth.Config and the
// provider's real base URL instead of the sandbox's.
func Example() {
	srv := livestormtest.NewServer()
	defer srv.Close()

	rec := cassette.NewRecorder("livestorm", nil, cassette.RedactEmails())
	hc := &http.Client{Transport: rec}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)

	cfg := srv.Config(scopes.LivestormEventsRead)
	tok := srv.IssueToken(scopes.LivestormEventsRead)
	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL), livestorm.WithHTTPClient(hc))
	if err != nil {
		log.Fatal(err)
	}
	for _, err := range client.Events.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		break
	}

	dir, err := os.MkdirTemp("", "cassette")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "livestorm-events.json")
	if err := rec.Save(path); err != nil {
		log.Fatal(err) // a secret survived: nothing was written
	}

	c, err := cassette.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	first := c.Interactions[0]
	fmt.Println(c.Provider, first.Request.Method, first.Response.Status)
	fmt.Println(first.Request.Header.Get("Authorization"))
	// Output:
	// livestorm GET 200
	// Bearer [redacted]
}
