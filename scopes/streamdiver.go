package scopes

// Streamdiver is an OAuth scope of the Streamdiver API.
//
// Streamdiver issues tokens from a Keycloak realm per tenant with the client
// credentials grant, and its documentation names no scope of its own: the
// scopes are the OpenID Connect ones that its example token answer grants
// ("email profile"), plus openid. A token request may name no scope at all,
// in which case the realm grants its defaults.
type Streamdiver string

// Scopes of the Streamdiver API, with their OpenID Connect meaning.
const (
	// StreamdiverOpenID marks the token request as an OpenID Connect request.
	StreamdiverOpenID Streamdiver = "openid"
	// StreamdiverEmail requests access to the email and email_verified claims.
	StreamdiverEmail Streamdiver = "email"
	// StreamdiverProfile requests access to the default profile claims, such as name and preferred_username.
	StreamdiverProfile Streamdiver = "profile"
)

// streamdiverSpec holds the Streamdiver scopes. Their descriptions follow
// OpenID Connect Core 1.0, sections 3.1.2.1 and 5.4, since Streamdiver does
// not describe them.
var streamdiverSpec = spec[Streamdiver]{
	name:     "streamdiver",
	delim:    " ",
	required: false,
	scopes: []scopeDoc[Streamdiver]{
		{StreamdiverOpenID, "OpenID Connect request"},
		{StreamdiverEmail, "Access to the email and email_verified claims"},
		{StreamdiverProfile, "Access to the default profile claims, such as name, family_name, given_name and preferred_username"},
	},
}
