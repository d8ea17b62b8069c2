package livestorm_test

import (
	"fmt"
	"log"
	"net/url"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

// A new release of an application also creates events and reads the
// user's identity. StepUp computes what to ask each connected user for:
// everything granted before, plus what the new calls need, under
// Livestorm's rules. The user approves it on the consent page.
func ExampleStepUp() {
	// What the user granted, as auth.Granted reads it from the stored token.
	granted := []scopes.Livestorm{scopes.LivestormEventsRead, scopes.LivestormWebhooksRead}

	set, err := livestorm.StepUp(granted, livestorm.OpEventsCreate, livestorm.OpIdentityMe)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("asking for", set)

	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:    "my-client-id",
		RedirectURL: "https://app.example.com/callback",
		Scopes:      set,
		Endpoint:    livestorm.Endpoint,
	}
	consentURL, err := cfg.AuthCodeURL("state") // a fresh random state in a real application
	if err != nil {
		log.Fatal(err)
	}
	u, err := url.Parse(consentURL)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("scope:", u.Query().Get("scope"))
	// Output:
	// asking for [identity:read events:write webhooks:read]
	// scope: identity:read events:write webhooks:read
}
