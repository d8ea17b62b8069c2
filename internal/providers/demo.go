package providers

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
)

// Report is where a demo writes: a header per provider, one line per
// step. Its formats are the demo's own; the CLI escapes the arguments.
type Report interface {
	Header(title, detail string)
	Step(format string, args ...any)
	// Detail adds to the step above it.
	Detail(format string, args ...any)
}

// authorize runs the authorization-code flow with state and PKCE. approve
// is the sandbox's: it does what the user's browser does with the consent
// page, and checks that the redirect echoes the state.
func authorize[S scopes.Scope](ctx context.Context, cfg *auth.Config[S], approve func(context.Context, string) (string, error)) (*oauth2.Token, error) {
	verifier := oauth2.GenerateVerifier()
	authURL, err := cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(verifier))
	if err != nil {
		return nil, err
	}
	code, err := approve(ctx, authURL)
	if err != nil {
		return nil, fmt.Errorf("consent: %w", err)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	return tok, nil
}

// granted returns tok's scopes for the report.
func granted[S scopes.Scope](tok *oauth2.Token) string {
	s, err := auth.Granted[S](tok)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return scopeList(strs(s))
}

// scopeList writes scopes for people.
func scopeList(s []string) string {
	if len(s) == 0 {
		return "no particular scope"
	}
	return strings.Join(s, " ")
}

// lifetime is how long tok has left, for the report.
func lifetime(tok *oauth2.Token) string {
	if tok.Expiry.IsZero() {
		return "does not expire"
	}
	d := time.Until(tok.Expiry)
	if d > 48*time.Hour {
		return fmt.Sprintf("expires in %d days", int(d.Round(time.Hour).Hours()/24))
	}
	return "expires in " + d.Round(time.Minute).String()
}

// unixTime writes a JSON number of Unix seconds as a time.
func unixTime(v any) string {
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	return time.Unix(int64(f), 0).UTC().Format(time.DateTime + " UTC")
}

// tokenPath is the path of a token URL, which the wire notes.
func tokenPath(tokenURL string) string {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return tokenURL
	}
	return u.Path
}

var errNotObserved = errors.New("the request was not observed")
