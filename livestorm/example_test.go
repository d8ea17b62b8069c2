package livestorm_test

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
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// An application asks for the scopes its calls need, gets the user's token
// with PKCE, creates an event and finds it in a listing. A sandbox stands
// in for Livestorm so that the example runs; a real application uses
// livestorm.Endpoint and leaves out WithBaseURL.
func Example() {
	ctx := context.Background()
	srv := livestormtest.NewServer()
	defer srv.Close()

	need, err := livestorm.LeastPrivilege(livestorm.OpPeopleList, livestorm.OpEventsCreate, livestorm.OpEventsList)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("asking for", need)
	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:     srv.ClientID,
		ClientSecret: srv.ClientSecret,
		RedirectURL:  srv.RedirectURL,
		Scopes:       need,
		Endpoint:     srv.Endpoint, // livestorm.Endpoint outside the sandbox
	}
	verifier := oauth2.GenerateVerifier() // kept with the state until the callback
	consentURL, err := cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	code, err := srv.Approve(ctx, consentURL) // what the user's browser does
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	// An event needs an owner: a team member of the workspace.
	var ownerID string
	for p, err := range client.People.List(ctx, &livestorm.ListPeopleParams{FilterRole: livestorm.PersonRoleTeamMember}) {
		if err != nil {
			log.Fatal(err)
		}
		ownerID = p.ID
		break // the first is enough; breaking fetches no further page
	}
	created, err := client.Events.Create(ctx, livestorm.CreateEventRequest{Title: "Quarterly update", OwnerID: ownerID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Title, created.Status)

	for ev, err := range client.Events.List(ctx, &livestorm.ListEventsParams{FilterTitle: "Quarterly update"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", ev.Title, ev.ID == created.ID)
	}
	// Output:
	// asking for [events:write]
	// created: Quarterly update draft
	// listed: Quarterly update true
}

// ListPage reads one page and returns the params of the next, for an
// application that pages at its own pace: a "more" button, or a job that
// resumes where the last one stopped.
func ExampleEventsService_ListPage() {
	ctx := context.Background()
	srv := livestormtest.NewServer()
	defer srv.Close()
	// A token as the consent page would give, without the round trip.
	tok := srv.IssueToken(scopes.LivestormEventsRead)
	client, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	params := &livestorm.ListEventsParams{PageSize: 25}
	for params != nil {
		events, next, err := client.Events.ListPage(ctx, params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d: %d events\n", params.PageNumber, len(events))
		params = next // nil after the last page; store it to resume later
	}
	// Output:
	// page 0: 25 events
	// page 1: 25 events
	// page 2: 14 events
}

// An answer other than 2xx is a *livestorm.Error, with Livestorm's JSON:API
// errors; the part every provider shares, *onair.APIError, is found by
// errors.As too, for code that handles all providers alike.
func Example_errors() {
	ctx := context.Background()
	srv := livestormtest.NewServer()
	defer srv.Close()
	// A token as the consent page would give, without the round trip.
	tok := srv.IssueToken(scopes.LivestormEventsWrite)
	client, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Events.Create(ctx, livestorm.CreateEventRequest{Title: "Quarterly update"}) // no OwnerID
	var lsErr *livestorm.Error
	if errors.As(err, &lsErr) {
		fmt.Println("status:", lsErr.StatusCode)
		for _, e := range lsErr.Errors {
			fmt.Println("livestorm says:", e.Detail)
		}
	}
	var apiErr *onair.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Operation, apiErr.Method, apiErr.Path)
		// Quote the request ID when asking Livestorm's support about a call.
		fmt.Println("request ID:", strings.HasPrefix(apiErr.RequestID, "req_"))
	}
	// Output:
	// status: 422
	// livestorm says: An event needs an owner_id.
	// Events.Create POST /events
	// request ID: true
}

// Per-call options come after a method's arguments: here an extra header,
// and WithResponse, which captures the answer's status, request ID and
// Livestorm's rate-limit windows.
func Example_callOptions() {
	ctx := context.Background()
	srv := livestormtest.NewServer()
	defer srv.Close()
	// A token as the consent page would give, without the round trip.
	tok := srv.IssueToken(scopes.LivestormIdentityRead)
	client, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	var res onair.Response
	org, err := client.Identity.Me(ctx,
		onair.WithHeader("X-Correlation-Id", "nightly-sync-42"),
		onair.WithResponse(&res))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.Name, res.StatusCode, strings.HasPrefix(res.RequestID, "req_"))
	for _, rl := range res.RateLimits {
		fmt.Printf("%s: %d of %d left\n", rl.Window, rl.Remaining, rl.Limit)
	}
	// Output:
	// Acme 200 true
	// second: 4 of 5 left
	// month: 9999 of 10000 left
}
