package livestorm_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// A CRM records each registration the moment Livestorm reports it. The
// receiver is mounted at a URL of its own, the subscriptions are made to
// match it, and each delivery is confirmed through the API before it is
// trusted, since Livestorm signs nothing. A sandbox stands in for
// Livestorm and an httptest server for the application's public HTTPS
// endpoint.
func ExampleReceiver() {
	ctx := context.Background()
	srv := livestormtest.NewServer(livestormtest.WithWebhookScale(0))
	defer srv.Close()
	client, err := livestorm.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivestormFullWrite)), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	secret := "k3Q9sX2vB7nL4pR8tY6wZ1mC" // in production: crypto/rand.Text(), kept in a secret store
	registered := make(chan string, 1)
	rcv, err := livestorm.NewReceiver(secret, func(ctx context.Context, n livestorm.Notification) error {
		n, err := client.Confirm(ctx, n) // the API's copy, not the request's
		if err != nil {
			return err // 500: Livestorm delivers again
		}
		if r, ok := n.(*livestorm.PeopleRegistered); ok {
			registered <- r.Person.Email
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hooks/livestorm/", rcv)
	app := httptest.NewServer(mux)
	defer app.Close()

	// At start-up: subscribe what the application handles, re-creating
	// what Livestorm disabled.
	base := app.URL + "/hooks/livestorm" // https://crm.example.com/hooks/livestorm
	changes, err := client.ReconcileWebhooks(ctx, base, secret, []livestorm.WebhookEvent{livestorm.WebhookEventPeopleRegistered})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("subscribed:", len(changes.Created))

	// Someone registers to a session (here through the API).
	var session string
	for s, err := range client.Sessions.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		session = s.ID
		break
	}
	if _, err := client.Sessions.Register(ctx, session, livestorm.RegisterPersonRequest{
		Fields: []livestorm.RegistrationField{{ID: "email", Value: "ada@example.com"}},
	}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("registered:", <-registered)
	// Output:
	// subscribed: 1
	// registered: ada@example.com
}
