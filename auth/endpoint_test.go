package auth_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/streamdiver"
)

// The provider Endpoints are the documented URLs and dialects.
func TestProviderEndpoints(t *testing.T) {
	for _, tc := range []struct {
		got, want auth.Endpoint
	}{
		{livepush.Endpoint, auth.Endpoint{Name: "livepush",
			AuthURL: "https://id.livepush.io/oauth2/authorize", TokenURL: "https://tokens.livepush.io/oauth2/access_token",
			RevokeURL: "https://tokens.livepush.io/oauth2/revoke",
			AuthStyle: oauth2.AuthStyleInParams, TokenMethod: http.MethodGet, RefreshWithRedirectURL: true, DefaultLifetime: time.Hour}},
		{livestorm.Endpoint, auth.Endpoint{Name: "livestorm",
			AuthURL: "https://app.livestorm.co/oauth/authorize", TokenURL: "https://app.livestorm.co/oauth/token",
			RevokeURL: "https://app.livestorm.co/oauth/revoke",
			AuthStyle: oauth2.AuthStyleInParams, TokenMethod: http.MethodPost, DefaultLifetime: 2 * time.Hour}},
		{dlive.Endpoint, auth.Endpoint{Name: "dlive",
			AuthURL: "https://dlive.tv/o/authorize", TokenURL: "https://dlive.tv/o/token",
			AuthStyle: oauth2.AuthStyleInHeader, TokenMethod: http.MethodPost, ClientCredentials: true,
			DefaultLifetime: 30 * 24 * time.Hour, RefreshLifetime: 365 * 24 * time.Hour, BareToken: true}},
		{streamdiver.Endpoint("acme"), auth.Endpoint{Name: "streamdiver",
			TokenURL:  "https://sso.streamdiver.com/realms/acme/protocol/openid-connect/token",
			RevokeURL: "https://sso.streamdiver.com/realms/acme/protocol/openid-connect/revoke",
			AuthStyle: oauth2.AuthStyleInParams, TokenMethod: http.MethodPost, ClientCredentials: true, DefaultLifetime: 16 * time.Hour}},
	} {
		t.Run(tc.want.Name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, tc.got, cmpopts.EquateErrors()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
