package authserver

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"
)

// A dialect takes from its provider's Endpoint what the Endpoint states,
// and keeps what only the fake states.
func TestFromEndpoint(t *testing.T) {
	noMethod := endpoint("nomethod", false, false)
	noMethod.TokenMethod = ""
	tests := []struct {
		name string
		got  Dialect
		want Dialect
	}{
		{
			name: "code grant, Basic, bare tokens; the fake's own fields kept",
			got:  Dialect{RefreshTokens: true, RotateRefresh: true, ZeroExpiry: true, TokenType: "access_token"}.fromEndpoint(basicEndpoint()),
			want: Dialect{
				Name: "basicco", TokenMethod: http.MethodPost, ClientAuth: oauth2.AuthStyleInHeader,
				AuthorizationCode: true, ClientCredentials: true, BareToken: true,
				TokenType: "access_token", Lifetime: 30 * 24 * time.Hour, RefreshLifetime: 365 * 24 * time.Hour,
				RefreshTokens: true, RotateRefresh: true, ZeroExpiry: true,
			},
		},
		{
			name: "a lifetime of the fake's own; GET",
			got:  Dialect{Lifetime: time.Minute}.fromEndpoint(queryEndpoint()),
			want: Dialect{
				Name: "queryco", TokenMethod: http.MethodGet, ClientAuth: oauth2.AuthStyleInParams,
				AuthorizationCode: true, TokenType: "Bearer", Lifetime: time.Minute,
			},
		},
		{
			name: "no token method means POST; no AuthURL, no code grant",
			got:  Dialect{}.fromEndpoint(noMethod),
			want: Dialect{Name: "nomethod", TokenMethod: http.MethodPost, ClientAuth: oauth2.AuthStyleInParams, TokenType: "Bearer"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.got, cmpopts.IgnoreFields(Dialect{}, "CheckScopes", "Describe")); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
