package streamdiver_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// A backend service gets application tokens from its tenant's realm with
// the client-credentials grant, creates a channel and lists the tenant's
// channels. A sandbox stands in for Streamdiver so that the example runs;
// a real application uses streamdiver.Endpoint(tenant) and leaves out
// WithBaseURL.
func Example() {
	ctx := context.Background()
	srv := streamdivertest.NewServer(streamdivertest.WithTenant("acme"))
	defer srv.Close()

	cfg := &auth.Config[scopes.Streamdiver]{
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
		Endpoint:     srv.Endpoint, // streamdiver.Endpoint("acme") outside the sandbox
	}
	// The token source asks the realm for a new token whenever the last
	// one nears expiry: client credentials have no refresh token.
	client, err := streamdiver.NewClient(cfg.ClientCredentialsTokenSource(ctx), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	created, err := client.Channels.Create(ctx, streamdiver.CreateChannelRequest{
		Name:        "Town halls",
		Description: "Monthly all-hands meetings.",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Name, created.Type)

	for ch, err := range client.Channels.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", ch.Name, ch.Visibility)
	}
	// Output:
	// created: Town halls group
	// listed: Demo shared
	// listed: My media private
	// listed: Public talks public
	// listed: Town halls private
}

// ListPage reads one page and returns the params of the next, for an
// application that pages at its own pace: a "more" button, or a job that
// resumes where the last one stopped.
func ExampleMediaService_ListPage() {
	ctx := context.Background()
	srv := streamdivertest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken() // an application token, without the round trip to the realm
	client, err := streamdiver.NewClient(oauth2.StaticTokenSource(tok), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	params := &streamdiver.ListMediaParams{PerPage: 4}
	for params != nil {
		media, next, err := client.Media.ListPage(ctx, params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d: %d items\n", params.Page, len(media))
		params = next // nil after the last page; store it to resume later
	}
	// Output:
	// page 0: 4 items
	// page 1: 2 items
}

// An answer other than 2xx is a *streamdiver.Error, with Streamdiver's
// JSend body: a "fail" whose Data says which field was wrong, or an
// "error" with a Message. The part every provider shares, *onair.APIError,
// is found by errors.As too, for code that handles all providers alike.
func Example_errors() {
	ctx := context.Background()
	srv := streamdivertest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken() // an application token, without the round trip to the realm
	client, err := streamdiver.NewClient(oauth2.StaticTokenSource(tok), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Channels.Create(ctx, streamdiver.CreateChannelRequest{Name: " "})
	var sdErr *streamdiver.Error
	if errors.As(err, &sdErr) {
		fmt.Println("status:", sdErr.StatusCode, sdErr.Status)
		fmt.Println("streamdiver says:", sdErr.Data)
	}
	var apiErr *onair.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Operation, apiErr.Method, apiErr.Path)
		// Quote the request ID when asking Streamdiver's support about a call.
		fmt.Println("request ID:", strings.HasPrefix(apiErr.RequestID, "req_"))
	}
	// Output:
	// status: 400 fail
	// streamdiver says: map[name:name must not be empty]
	// Channels.Create POST /channels
	// request ID: true
}

// Per-call options come after a method's arguments: here an extra header,
// and WithResponse, which captures the answer's status, headers and
// request ID.
func Example_callOptions() {
	ctx := context.Background()
	srv := streamdivertest.NewServer(streamdivertest.WithTenant("acme"))
	defer srv.Close()
	tok := srv.IssueToken() // an application token, without the round trip to the realm
	client, err := streamdiver.NewClient(oauth2.StaticTokenSource(tok), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	var res onair.Response
	tenant, err := client.Tenants.Current(ctx,
		onair.WithHeader("X-Correlation-Id", "nightly-sync-42"),
		onair.WithResponse(&res))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tenant.Shortcode, res.StatusCode, strings.HasPrefix(res.RequestID, "req_"))
	fmt.Println(res.Header.Get("Content-Type"))
	// Output:
	// acme 200 true
	// application/json
}
