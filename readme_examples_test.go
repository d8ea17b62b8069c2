package onair_test

// The twins of README.md's Go snippets, one function per snippet or
// section, named after the README's section; TestREADMESnippetsCompile
// checks that each snippet is here line for line. A snippet's free
// variables are the function's parameters or locals declared before it,
// and the lines after it use what it declares.
//
// Twins that would call a provider's real API are compiled only (functions
// that no test calls); the others run as tests against a sandbox, so that
// what the README says they print is checked too.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"testing"

	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore/postgres"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/scopes"
)

// A first example: the authorization-code flow with PKCE.
func readmeFirstExample(ctx context.Context, r *http.Request, userID string,
	saveToken func(ctx context.Context, userID string, tok *oauth2.Token) error) error {
	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:     os.Getenv("LIVESTORM_CLIENT_ID"),
		ClientSecret: os.Getenv("LIVESTORM_CLIENT_SECRET"),
		RedirectURL:  "https://app.example/oauth/livestorm",
		Scopes:       []scopes.Livestorm{scopes.LivestormEventsRead},
		Endpoint:     livestorm.Endpoint,
	}

	// 1. Send the user to the consent page, with state and PKCE.
	verifier := oauth2.GenerateVerifier()
	state := rand.Text()
	consentURL, err := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	// 2. In the callback: check state, then exchange the code.
	tok, err := cfg.Exchange(ctx, r.FormValue("code"), oauth2.VerifierOption(verifier))

	// 3. An HTTP client whose token refreshes itself ahead of expiry, and is
	//    handed to your code to save before anyone uses it.
	client := cfg.Client(ctx, tok, auth.OnToken(func(ctx context.Context, t *oauth2.Token) error {
		return saveToken(ctx, userID, t)
	}))
	res, err := client.Get("https://api.livestorm.co/v1/events")

	if err != nil {
		return err
	}
	fmt.Println(consentURL)
	return res.Body.Close()
}

// A first example: a scope set the provider would refuse is refused here
// first, with the error the README quotes.
func TestREADMEFirstExampleRefusesScopes(t *testing.T) {
	cfg := &auth.Config[scopes.Livestorm]{ClientID: "my-client-id", RedirectURL: "https://app.example/oauth/livestorm", Endpoint: livestorm.Endpoint}
	state := rand.Text()

	cfg.Scopes = []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormEventsRead}
	_, err := cfg.AuthCodeURL(state)
	// auth: Config.Scopes: scopes: livestorm: "full:write" must be the only scope, got [full:write events:read]
	errors.Is(err, scopes.ErrExclusive) // true

	const want = `auth: Config.Scopes: scopes: livestorm: "full:write" must be the only scope, got [full:write events:read]`
	if err == nil || err.Error() != want {
		t.Errorf("AuthCodeURL = %v, want the error %s", err, want)
	}
	if !errors.Is(err, scopes.ErrExclusive) {
		t.Errorf("errors.Is(%v, scopes.ErrExclusive) = false", err)
	}
}

// Typed API clients: a create, a get, a list, a page, per-call options
// and errors.
func readmeTypedAPIClients(ctx context.Context, cfg *auth.Config[scopes.Livestorm], tok *oauth2.Token, ownerID, jobID string) error {
	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok))

	// Livestorm's JSON:API envelope is the client's business: requests and
	// answers are flat structs. A pointer field, where false must be told
	// from left out, takes onair.Ptr.
	created, err := client.Events.Create(ctx, livestorm.CreateEventRequest{
		Title:       "Quarterly update",
		OwnerID:     ownerID,
		ChatEnabled: onair.Ptr(false),
	})
	event, err := client.Events.Get(ctx, created.ID)

	// Lists are iterators that fetch pages lazily and stop after the last one.
	for ev, err := range client.Events.List(ctx, &livestorm.ListEventsParams{FilterTag: "webinar"}) {
		if err != nil {
			return err
		}
		fmt.Println(ev.ID, ev.Title)
	}

	// Or one page at a time, for a "more" button or a job that resumes
	// later: next is nil after the last page.
	events, next, err := client.Events.ListPage(ctx, &livestorm.ListEventsParams{PageSize: 20})

	fmt.Println(event.Title, len(events), next != nil)

	var res onair.Response
	event, err = client.Events.Get(ctx, created.ID,
		onair.WithHeader("X-Correlation-Id", jobID),
		onair.WithMaxRetries(0),
		onair.WithResponse(&res))
	for _, rl := range res.RateLimits {
		log.Printf("%s: %d of %d calls left", rl.Window, rl.Remaining, rl.Limit)
	}

	var apiErr *onair.APIError
	if errors.As(err, &apiErr) {
		log.Printf("%s: HTTP %d, request %s", apiErr.Operation, apiErr.StatusCode, apiErr.RequestID)
	}
	var lsErr *livestorm.Error
	if errors.As(err, &lsErr) {
		for _, e := range lsErr.Errors {
			log.Printf("livestorm: %s: %s", e.Title, e.Detail)
		}
	}

	return err
}

// Sandboxes for your tests: the consent flow and a typed call against
// livepushtest.
func TestREADMESandboxesForYourTests(t *testing.T) {
	ctx := t.Context()
	state := rand.Text()

	srv := livepushtest.NewServer()
	defer srv.Close()

	cfg := srv.Config(scopes.LivepushStreamsCreate, scopes.LivepushStreamsRead)
	authURL, _ := cfg.AuthCodeURL(state)
	code, _ := srv.Approve(ctx, authURL) // what the user's browser does on the consent page
	tok, _ := cfg.Exchange(ctx, code)

	client, _ := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL))
	created, _ := client.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "Sunday service", Category: livepush.StreamCategorySimulcast})

	if created == nil {
		t.Fatal("Streams.Create returned no stream")
	}
	got, err := client.Streams.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("Streams.Get(%q) of the stream just created: %v", created.ID, err)
	}
	if got.Metadata.Name != "Sunday service" {
		t.Errorf("Streams.Get(%q).Metadata.Name = %q, want %q", created.ID, got.Metadata.Name, "Sunday service")
	}
}

// Token stores: one token pair per user, shared by every replica.
func readmeTokenStores(ctx context.Context, cfg *auth.Config[scopes.DLive], tok *oauth2.Token, userID string) error {
	store, err := postgres.Open(ctx, os.Getenv("DATABASE_URL")) // or sqlite.Open(ctx, "tokens.db"), filestore.Open(dir)

	// In the OAuth callback, once:
	err = store.Save(ctx, userID, tok)

	// Anywhere, in any replica:
	client := cfg.Client(ctx, nil, auth.WithStore(store, userID))

	_ = client
	return err
}

// The end of a token's life, and many users.
func readmeEndOfLife(ctx context.Context, cfg *auth.Config[scopes.Livestorm], store auth.Store, userID, eventID string,
	notify func(key string, reason auth.ReauthReason)) error {
	ts := cfg.TokenSource(ctx, nil, auth.WithStore(store, userID),
		auth.OnReauthorize(func(ctx context.Context, err *auth.ReauthorizeError) {
			notify(err.Key, err.Reason) // e.g. mail the user a link to log in again
		}))
	client, err := livestorm.NewClient(ts)

	_, err = client.Events.Get(ctx, eventID)
	if errors.Is(err, auth.ErrReauthorize) {
		// the refresh token is dead: send the user through the consent page again
	}
	return err
}

// Realtime: the chat bot. It answers "!hello" until ctx ends.
func readmeChatBot(ctx context.Context, srv *dlivetest.Server) error {
	// srv := dlivetest.NewServer(), and defer srv.Close()
	ts := oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveChatWrite))
	client, _ := dlive.NewClient(ts, dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()))
	for ev, err := range client.Chat.Subscribe(ctx, "dlive-12345678") {
		if err != nil {
			return err // ctx ended, or the token was refused three times
		}
		if msg, ok := ev.(*dlive.ChatText); ok && msg.Content == "!hello" {
			client.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: "dlive-12345678", Message: "Hello, " + msg.Sender.DisplayName + "!", RoomRole: dlive.RoomRoleMember})
		}
	}
	return nil
}

// Observability: a client and its token source traced.
func readmeObservability(ctx context.Context, tp trace.TracerProvider, srv *livestormtest.Server,
	cfg *auth.Config[scopes.Livestorm], tok *oauth2.Token) error {
	// tp is your trace.TracerProvider; leave WithTracerProvider out to use the global one.
	ts := cfg.TokenSource(ctx, tok, auth.WithHooks(otelonair.AuthHooks(otelonair.WithTracerProvider(tp))))
	client, err := livestorm.NewClient(ts, livestorm.WithHooks(otelonair.Hooks(otelonair.WithTracerProvider(tp))),
		livestorm.WithBaseURL(srv.URL)) // srv: a livestormtest sandbox; leave out for the real API
	if err != nil {
		return err
	}
	for _, err := range client.Events.List(ctx, nil) {
		if err != nil {
			return err
		}
	}
	return nil
}

// Observability: logs through log/slog.
func readmeLogging(ctx context.Context, cfg *auth.Config[scopes.Livestorm], tok *oauth2.Token) (*livestorm.Client, error) {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: auth.ReplaceAttr}))
	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok, auth.WithLogger(logger)), livestorm.WithLogger(logger))
	return client, err
}
