// Package auth speaks the OAuth 2.0 dialects of Livepush, Livestorm,
// Streamdiver and DLive on top of golang.org/x/oauth2.
//
// A [Config] builds authorization URLs, exchanges codes, refreshes tokens and
// runs the client-credentials grant the way each provider really does it:
// Livepush's GET token exchange, Livestorm's PKCE, DLive's HTTP Basic client
// authentication and single-use refresh tokens, Streamdiver's per-tenant
// Keycloak realm. The provider packages (livepush, livestorm, dlive,
// streamdiver) hold the [Endpoint] values that describe each dialect.
//
// Tokens are plain [*oauth2.Token] values whose Type is always "Bearer", so
// they work with any x/oauth2 machinery. [Config.TokenSource] caches a token
// and refreshes it ahead of expiry with a single refresh in flight, hands out
// the cached token without taking a lock, and lets the application persist
// every new token before any caller uses it. [Transport] attaches tokens to
// requests in the provider's scheme, which the Endpoint alone says (not the
// token source), never to another host a redirect leads to, and refreshes
// once on 401.
//
// [WithStore] keeps a source's token in a [Store] that several processes,
// or replicas on several machines, share: refreshes of one key take turns
// under the key's lock, so a single-use refresh token is never spent
// twice, and every new token is stored before anyone uses it. This package
// has [MemoryStore]; auth/filestore and auth/sqlstore keep tokens in
// files, SQLite or PostgreSQL.
//
// When a token's life ends, a source fails with a [ReauthorizeError]
// (errors.Is(err, [ErrReauthorize])): the provider refused the refresh
// token, or it has expired ([RefreshExpiry], from refresh_expires_in or the
// Endpoint's documented RefreshLifetime), or the key was logged out. The
// [OnReauthorize] hook learns which key, and with a store a marker saved
// under the key ([NeedsReauthorization]) stops every process from trying
// the dead pair again. A transient failure (5xx, network) never matches
// ErrReauthorize. [Config.Revoke] revokes tokens where the provider has an
// RFC 7009 endpoint, and [Config.Logout] revokes a stored pair and marks
// its key.
//
// Secrets (client secret, authorization code, PKCE verifier, access and
// refresh tokens) never appear in the text of an error this package returns.
package auth
