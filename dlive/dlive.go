// Package dlive is onair's client of DLive, a live-streaming platform with a
// GraphQL API.
//
// The typed operations are generated from the hand-written schema and
// operation documents (specs/dlive.graphql, specs/dlive/*.graphql): genqlient
// decodes the answers, and the package's own types (Profile, Livestream,
// ChatText and the rest, documented from the schema) carry them. They are
// grouped into services on the Client: Users (Me, MePrivate, GetStreamKey,
// Get, GetByDisplayName, Search), Livestreams (List, ListFollowing), Chat
// (Send, Delete, SetInterval), Relationships (Follow, Unfollow) and
// Moderation (Ban, Unban, RemoveModerator); Client.Me is the token's user.
// Lists are iterators that follow DLive's pageInfo lazily; beside each, a
// page method (Livestreams.ListPage, Users.SearchPage, …) fetches one page
// and returns the params of the next.
//
// DLive has no webhooks: Chat.Subscribe and Chat.SubscribeTreasureChest
// deliver a streamer's events as they happen over DLive's GraphQL
// subscription WebSocket (WithSubscriptionURL), one typed value per kind,
// on a connection that every subscription of the Client shares and that
// reconnects by itself with a fresh token.
//
// DLive looks users up by username, the immutable blockchain name every
// user type carries (Users.Get(ctx, item.Username)); a user's ID is an
// opaque string that no call takes. A chat message's ID is what Chat.Delete
// takes.
//
// Every method takes per-call options last (onair.WithHeader,
// onair.WithMaxRetries, onair.WithTimeout, onair.WithResponse). Every call
// checks the token's granted scopes before any network I/O (failing with
// an error wrapping scopes.ErrNotGranted), sends the token bare as DLive
// wants it, and retries 429 and 503. An answer other than 2xx, an answer
// with GraphQL errors, and a mutation whose payload's err is set all become
// an *Error, whose embedded onair.APIError has the status, the request ID,
// the header and the start of the body. GraphQL.Do, the raw envelope,
// sends any GraphQL request and leaves the errors of a 2xx answer in
// GraphQLResponse.Errors.
package dlive

import (
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// Endpoint is DLive's OAuth 2.0 dialect: at least one scope, a form POST
// with HTTP Basic client authentication, authorization-code, refresh and
// client-credentials grants, single-use refresh tokens that rotate on every
// refresh, and refreshes that may narrow the granted scopes. Code answers
// carry a zero "expiry" and no "expires_in", which means the documented 30
// days. API calls send the token bare in Authorization, with no scheme.
// Refresh tokens last one year, as DLive documents (RefreshLifetime). DLive
// documents no revocation endpoint, so RevokeURL is empty and Config.Revoke
// fails with auth.ErrRevocationUnsupported.
var Endpoint = auth.Endpoint{
	Name:              "dlive",
	AuthURL:           "https://dlive.tv/o/authorize",
	TokenURL:          "https://dlive.tv/o/token",
	AuthStyle:         oauth2.AuthStyleInHeader,
	TokenMethod:       http.MethodPost,
	ClientCredentials: true,
	DefaultLifetime:   30 * 24 * time.Hour,
	RefreshLifetime:   365 * 24 * time.Hour,
	BareToken:         true,
}
