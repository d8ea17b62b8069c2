package streamdiver_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

// A backend service gets application tokens from its tenant's realm with
// the client-credentials grant, then fetches a media asset and lists the
// library.
func Example() {
	// A stand-in for the tenant's Keycloak realm and for
	// https://api.streamdiver.com/v2, so that the example runs; a real
	// application uses streamdiver.Endpoint("acme") as is and leaves out
	// WithBaseURL.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/openid-connect/token"):
			fmt.Fprint(w, `{"access_token":"eyJhbGciOi","expires_in":7200,"refresh_expires_in":0,"token_type":"Bearer","not-before-policy":0,"scope":"email profile"}`)
		case r.URL.Path == "/v2/media":
			fmt.Fprint(w, `{"status":"success","data":[{"id":"6f1c2a9e-0000-4000-8000-000000000001","name":"Keynote","type":"video"},{"id":"6f1c2a9e-0000-4000-8000-000000000002","name":"Panel","type":"video"}]}`)
		default:
			fmt.Fprint(w, `{"status":"success","data":{"id":"6f1c2a9e-0000-4000-8000-000000000001","name":"Keynote","type":"video"}}`)
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	ep := streamdiver.Endpoint("acme")
	ep.TokenURL = srv.URL + "/realms/acme/protocol/openid-connect/token"
	cfg := &auth.Config[scopes.Streamdiver]{
		ClientID:     "my-client-id",
		ClientSecret: "my-client-secret",
		Endpoint:     ep,
	}
	client, err := streamdiver.NewClient(cfg.ClientCredentialsTokenSource(ctx), streamdiver.WithBaseURL(srv.URL+"/v2"))
	if err != nil {
		log.Fatal(err)
	}

	media, err := client.Media.Get(ctx, "6f1c2a9e-0000-4000-8000-000000000001")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("got", media.Name)
	for m, err := range client.Media.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("library:", m.Name, m.Type)
	}
	// Output:
	// got Keynote
	// library: Keynote video
	// library: Panel video
}
