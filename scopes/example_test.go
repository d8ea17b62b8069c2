package scopes_test

import (
	"fmt"

	"github.com/onair-go/onair/scopes"
)

func ExampleValidate() {
	err := scopes.Validate(scopes.LivestormEventsRead, scopes.LivestormWebhooksWrite)
	fmt.Println(err)

	// full:write may not be combined with anything else.
	err = scopes.Validate(scopes.LivestormFullWrite, scopes.LivestormEventsRead)
	fmt.Println(err)
	// Output:
	// <nil>
	// scopes: livestorm: "full:write" must be the only scope, got [full:write events:read]
}

func ExampleJoin() {
	// Livepush separates scopes with commas, the others with spaces.
	fmt.Println(scopes.Join(scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate, scopes.LivepushStreamsRead))
	fmt.Println(scopes.Join(scopes.DLiveIdentity, scopes.DLiveChatWrite))
	// Output:
	// streams.read,streams.create
	// identity chat:write
}

func ExampleParse() {
	// The scope parameter of a Streamdiver token answer. Keycloak granted
	// offline_access, which Streamdiver does not document.
	granted, err := scopes.Parse[scopes.Streamdiver]("openid offline_access email profile")
	fmt.Println(granted)
	fmt.Println(err)
	// Output:
	// [openid email profile]
	// scopes: streamdiver: unknown scope "offline_access" (documented: openid, email, profile)
}

func ExampleCovers() {
	granted := []scopes.Livestorm{scopes.LivestormFullRead, scopes.LivestormWebhooksWrite}
	fmt.Println(scopes.Covers(granted, scopes.LivestormEventsRead))
	fmt.Println(scopes.Covers(granted, scopes.LivestormEventsWrite))
	fmt.Println(scopes.Missing(granted, []scopes.Livestorm{scopes.LivestormEventsRead, scopes.LivestormEventsWrite}))
	// Output:
	// true
	// false
	// [events:write]
}
