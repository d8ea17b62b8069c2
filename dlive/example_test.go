package dlive_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// The examples run against a DLive sandbox (package dlivetest) seeded with
// a signed-in user, OnairDemo (dlive-87654321), and live streams. A real
// application leaves out WithBaseURL and builds its auth.Config with
// dlive.Endpoint and its own client ID, secret and redirect URL.

// An application asks DLive for the scopes its calls need, has the user
// approve them, and makes typed GraphQL calls: the token's user, then the
// live streams of a category, page by page.
func Example() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	need, err := dlive.LeastPrivilege(dlive.OpUsersMe, dlive.OpLivestreamsList)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("scopes:", scopes.Join(need...))
	cfg := srv.Config(need...) // an application: &auth.Config[scopes.DLive]{..., Endpoint: dlive.Endpoint}
	consent, err := cfg.AuthCodeURL(rand.Text())
	if err != nil {
		log.Fatal(err)
	}
	code, err := srv.Approve(ctx, consent) // what the user's browser does
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		log.Fatal(err)
	}
	// The token source refreshes the token when it nears expiry.
	client, err := dlive.NewClient(cfg.TokenSource(ctx, tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	me, err := client.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", me.DisplayName)

	// Music (category 3), two streams a page: the loop reads both pages.
	for s, err := range client.Livestreams.List(ctx, &dlive.ListLivestreamsParams{First: 2, CategoryID: 3}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s (%d watching)\n", s.Creator.DisplayName, s.Title, s.WatchingCount)
	}
	// Output:
	// scopes: identity
	// signed in as OnairDemo
	// VelvetVox: Karaoke night (27 watching)
	// TundraTunes: Acoustic requests (19 watching)
	// nightowl: Late night lo-fi (12 watching)
}

// Sending a chat message creates it: DLive answers with the message, whose
// ID Chat.Delete takes.
func ExampleChatService_Send() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	tok := srv.IssueToken(scopes.DLiveChatWrite, scopes.DLiveModerationWrite)
	client, err := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	sent, err := client.Chat.Send(ctx, dlive.SendStreamchatMessageInput{
		Streamer: "dlive-87654321", // a username: here the user's own chat
		Message:  "Welcome to the stream!",
		RoomRole: dlive.RoomRoleOwner,
	})
	if err != nil {
		log.Fatal(err)
	}
	switch m := sent.(type) {
	case *dlive.ChatText:
		fmt.Printf("%s by %s (%s)\n", m.Content, m.Sender.DisplayName, m.Type)
		if err := client.Chat.Delete(ctx, "dlive-87654321", m.ID); err != nil {
			log.Fatal(err)
		}
		fmt.Println("deleted")
	default:
		fmt.Printf("a %T\n", m)
	}
	// Output:
	// Welcome to the stream! by OnairDemo (Message)
	// deleted
}

// A page method fetches one page and returns the params of the next, for
// a caller that pages in its own time (a UI's "more" button, a job queue):
// next is nil after the last page.
func ExampleLivestreamsService_ListPage() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	client, err := dlive.NewClient(oauth2.StaticTokenSource(srv.IssueToken()), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	params := &dlive.ListLivestreamsParams{First: 2, CategoryID: 3}
	for page := 1; params != nil; page++ {
		streams, next, err := client.Livestreams.ListPage(ctx, params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d (after %q):", page, params.After)
		for _, s := range streams {
			fmt.Print(" ", s.Creator.DisplayName)
		}
		fmt.Println()
		params = next
	}
	// Output:
	// page 1 (after ""): VelvetVox TundraTunes
	// page 2 (after "2"): nightowl
}

// Every failed call is an *Error: DLive's refusal of a mutation comes with
// HTTP 200 and its own code and message; an answer with GraphQL errors,
// or other than 2xx, has them in Errors. Both have the status and the
// request ID.
func ExampleError() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	tok := srv.IssueToken(scopes.DLiveIdentity, scopes.DLiveRelationshipWrite)
	client, err := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	if err := client.Relationships.Follow(ctx, "dlive-12345678"); err != nil {
		log.Fatal(err)
	}
	err = client.Relationships.Follow(ctx, "dlive-12345678") // again
	var de *dlive.Error
	if errors.As(err, &de) {
		// The request ID (de.RequestID) is what to quote when asking
		// DLive about a call.
		fmt.Printf("HTTP %d: %s (code %d); request ID given: %t\n", de.StatusCode, de.Message, de.Code, de.RequestID != "")
	}

	srv.RevokeToken(tok.AccessToken)
	_, err = client.Me(ctx)
	if errors.As(err, &de) {
		fmt.Printf("HTTP %d: %s; request ID given: %t\n", de.StatusCode, de.Errors[0].Message, de.RequestID != "")
	}
	// Output:
	// HTTP 200: already following (code 4001); request ID given: true
	// HTTP 401: the access token is unknown, expired or revoked; request ID given: true
}

// Every method takes per-call options last: here an extra header, a bound
// on the whole call, and the answer's metadata.
func Example_callOptions() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	client, err := dlive.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveIdentity)), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	var res onair.Response
	me, err := client.Me(ctx,
		onair.WithHeader("X-Trace-Id", "trace-42"),
		onair.WithTimeout(10*time.Second),
		onair.WithResponse(&res))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: HTTP %d, request ID given: %t\n", me.DisplayName, res.StatusCode, res.RequestID != "")
	// Output:
	// OnairDemo: HTTP 200, request ID given: true
}
