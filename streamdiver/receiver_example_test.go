package streamdiver_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// An application subscribes its Receiver to media updates and reacts to
// them. The secret in the webhook's URL authenticates the deliveries, as
// Streamdiver documents no signature. A sandbox stands in for Streamdiver
// and delivers for real.
func ExampleReceiver() {
	ctx := context.Background()
	srv := streamdivertest.NewServer()
	defer srv.Close()

	updates := make(chan *streamdiver.MediaUpdatedEvent, 1)
	secret := rand.Text()
	receiver, err := streamdiver.NewReceiver(secret, func(ctx context.Context, e streamdiver.Notification) error {
		switch e := e.(type) {
		case *streamdiver.MediaUpdatedEvent:
			updates <- e
		case *streamdiver.MediaDeletedEvent:
			log.Printf("media %s deleted (for good: %v)", e.MediaID, e.Permanent)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /hooks/streamdiver/", receiver)
	app := httptest.NewServer(mux)
	defer app.Close()
	hookURL, err := streamdiver.WebhookURL(app.URL+"/hooks/streamdiver", secret)
	if err != nil {
		log.Fatal(err)
	}

	client, err := streamdiver.NewClient(srv.Config().ClientCredentialsTokenSource(ctx), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{
		URL:    hookURL,
		Events: []streamdiver.WebhookEvent{streamdiver.WebhookEventMediaUpdated, streamdiver.WebhookEventMediaDeleted},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Media.Update(ctx, "6f1c2a9e-0000-4000-8000-000000000001", streamdiver.UpdateMediaRequest{Name: onair.Ptr("Keynote 2024 (final cut)")})
	if err != nil {
		log.Fatal(err)
	}
	e := <-updates
	fmt.Println(e.Media.Name, e.ChangedProperties)
	// Output: Keynote 2024 (final cut) [name]
}
