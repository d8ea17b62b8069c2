package scopes

// Livestorm is an OAuth scope of the Livestorm public API.
type Livestorm string

// Scopes of the Livestorm public API.
//
// The full scopes come with rules: full:write cannot be combined with any
// other scope, and full:read can be combined only with individual write
// scopes such as events:write. [Validate] enforces both. full:write gives
// access to every other scope and full:read to every read scope, which
// [Covers] knows.
const (
	// LivestormFullRead gives full read-only access to all API endpoints to the currently connected user.
	LivestormFullRead Livestorm = "full:read"
	// LivestormFullWrite gives full read/write access to all endpoints on behalf of the currently connected user.
	LivestormFullWrite Livestorm = "full:write"
	// LivestormIdentityRead gives read-only access to identity-related endpoints, such as /me and /organization.
	LivestormIdentityRead Livestorm = "identity:read"
	// LivestormIdentityWrite gives full read/write access to identity-related endpoints, such as /me and /organization.
	LivestormIdentityWrite Livestorm = "identity:write"
	// LivestormEventsRead gives read-only access to all endpoints related to events, sessions, and participants.
	LivestormEventsRead Livestorm = "events:read"
	// LivestormEventsWrite gives read/write access to all endpoints related to events, sessions, and participants.
	LivestormEventsWrite Livestorm = "events:write"
	// LivestormAdminRead gives read-only access to all endpoints related to account administration.
	LivestormAdminRead Livestorm = "admin:read"
	// LivestormAdminWrite gives read/write access to all endpoints related to account administration.
	LivestormAdminWrite Livestorm = "admin:write"
	// LivestormWebhooksRead gives read-only access to all webhooks-related endpoints.
	LivestormWebhooksRead Livestorm = "webhooks:read"
	// LivestormWebhooksWrite gives read/write access to all webhooks-related endpoints.
	LivestormWebhooksWrite Livestorm = "webhooks:write"
)

// livestormSpec holds the scopes of the "OAuth2 scopes" section of
// Livestorm's OAuth2 authentication guide, in its order, with short
// descriptions of them, and the rules the guide states about them.
var livestormSpec = spec[Livestorm]{
	name:     "livestorm",
	delim:    " ",
	required: true,
	scopes: []scopeDoc[Livestorm]{
		{LivestormFullRead, "Read every API endpoint as the connected user; combinable only with individual write scopes"},
		{LivestormFullWrite, "Read and write every API endpoint as the connected user; cannot be combined with other scopes"},
		{LivestormIdentityRead, "Read identity endpoints such as /me and /organization"},
		{LivestormIdentityWrite, "Read and write identity endpoints such as /me and /organization"},
		{LivestormEventsRead, "Read events, sessions and participants (/events, /sessions, /people)"},
		{LivestormEventsWrite, "Read and write events, sessions and participants (/events, /sessions, /people)"},
		{LivestormAdminRead, "Read account administration endpoints such as /users and /organization"},
		{LivestormAdminWrite, "Read and write account administration endpoints such as /users and /organization"},
		{LivestormWebhooksRead, "Read webhook subscriptions (/webhooks)"},
		{LivestormWebhooksWrite, "Read and write webhook subscriptions (/webhooks)"},
	},

	// "It cannot be combined with any other scopes."
	exclusive: []Livestorm{LivestormFullWrite},

	// "It can only be combined with other individual write scopes."
	// full:write is not individual, and is exclusive anyway.
	limits: []limit[Livestorm]{{
		scope: LivestormFullRead,
		with:  []Livestorm{LivestormIdentityWrite, LivestormEventsWrite, LivestormAdminWrite, LivestormWebhooksWrite},
		what:  "individual write scopes",
	}},

	// "The full:read scope includes read-only access to all xxx:read
	// sub-scopes, and the full:write scope gives access to all other
	// scopes." A write scope includes the read scope of the same resource,
	// as the descriptions (read/write against read-only access to the same
	// endpoints) and the API-token scope levels say.
	implies: []implication[Livestorm]{
		{LivestormFullWrite, []Livestorm{
			LivestormFullRead,
			LivestormIdentityRead, LivestormIdentityWrite,
			LivestormEventsRead, LivestormEventsWrite,
			LivestormAdminRead, LivestormAdminWrite,
			LivestormWebhooksRead, LivestormWebhooksWrite,
		}},
		{LivestormFullRead, []Livestorm{LivestormIdentityRead, LivestormEventsRead, LivestormAdminRead, LivestormWebhooksRead}},
		{LivestormIdentityWrite, []Livestorm{LivestormIdentityRead}},
		{LivestormEventsWrite, []Livestorm{LivestormEventsRead}},
		{LivestormAdminWrite, []Livestorm{LivestormAdminRead}},
		{LivestormWebhooksWrite, []Livestorm{LivestormWebhooksRead}},
	},
}
