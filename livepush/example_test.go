package livepush_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// An application asks for the scopes its calls need, gets the user's token
// through the consent page, creates a stream and lists the user's streams.
// A sandbox stands in for Livepush so that the example runs; a real
// application uses livepush.Endpoint and leaves out WithBaseURL.
func Example() {
	ctx := context.Background()
	srv := livepushtest.NewServer()
	defer srv.Close()

	need, err := livepush.LeastPrivilege(livepush.OpStreamsCreate, livepush.OpStreamsList)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("asking for", need)
	cfg := &auth.Config[scopes.Livepush]{
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
		RedirectURL:  srv.RedirectURL,
		Scopes:       need,
		Endpoint:     srv.Endpoint, // livepush.Endpoint outside the sandbox
	}
	consentURL, err := cfg.AuthCodeURL(rand.Text())
	if err != nil {
		log.Fatal(err)
	}
	code, err := srv.Approve(ctx, consentURL) // what the user's browser does
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		log.Fatal(err)
	}
	client, err := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	created, err := client.Streams.Create(ctx, livepush.CreateStreamRequest{
		Name:     "Easter vigil",
		Category: livepush.StreamCategorySimulcast,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Metadata.Name)

	for s, err := range client.Streams.List(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", s.Metadata.Name, s.ID == created.ID)
	}
	// Output:
	// asking for [streams.create streams.read]
	// created: Easter vigil
	// listed: Sunday service false
	// listed: Wednesday Bible study false
	// listed: Easter vigil true
}

// An answer other than 2xx is a *livepush.Error, with Livepush's message
// and code; the part every provider shares, *onair.APIError, is found by
// errors.As too, for code that handles all providers alike.
func Example_errors() {
	ctx := context.Background()
	srv := livepushtest.NewServer()
	defer srv.Close()
	// A token as the consent page would give, without the round trip.
	tok := srv.IssueToken(scopes.LivepushStreamsRead)
	client, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Streams.Get(ctx, "st_deleted")
	var lpErr *livepush.Error
	if errors.As(err, &lpErr) {
		fmt.Println("status:", lpErr.StatusCode)
		fmt.Println("livepush says:", lpErr.Message, "/", lpErr.Code)
	}
	var apiErr *onair.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Operation, apiErr.Method, apiErr.Path)
		// Quote the request ID when asking Livepush's support about a call.
		fmt.Println("request ID:", strings.HasPrefix(apiErr.RequestID, "req_"))
	}
	// Output:
	// status: 404
	// livepush says: Stream not found / not_found
	// Streams.Get GET /streams/st_deleted
	// request ID: true
}

// Per-call options come after a method's arguments: here an extra header,
// and WithResponse, which captures the answer's status, headers and
// request ID.
func Example_callOptions() {
	ctx := context.Background()
	srv := livepushtest.NewServer()
	defer srv.Close()
	// A token as the consent page would give, without the round trip.
	tok := srv.IssueToken(scopes.LivepushProfileRead)
	client, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	var res onair.Response
	account, err := client.Account.Get(ctx,
		onair.WithHeader("X-Correlation-Id", "nightly-sync-42"),
		onair.WithResponse(&res))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(account.Username, res.StatusCode, strings.HasPrefix(res.RequestID, "req_"))
	fmt.Println(res.Header.Get("Content-Type"))
	// Output:
	// janedoe 200 true
	// application/json
}

// Livepush sends a whole listing in one answer: ListPage returns it as a
// slice, for a caller that wants the items at once rather than a loop.
func ExampleStreamsService_ListPage() {
	ctx := context.Background()
	srv := livepushtest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivepushStreamsRead)
	client, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	streams, err := client.Streams.ListPage(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range streams {
		fmt.Println(st.Metadata.Name)
	}
	// Output:
	// Sunday service
	// Wednesday Bible study
}
