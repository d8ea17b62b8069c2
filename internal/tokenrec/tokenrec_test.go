package tokenrec

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

// A record that cannot be read is reported without quoting it: it may
// hold a token.
func TestUnmarshalRejects(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"not JSON", "refresh-secret-123"},
		{"wrong type", `{"v":1,"access_token":12345}`},
		{"other version", `{"v":2,"access_token":"secret-at"}`},
		{"no token", `{"v":1,"token_type":"Bearer"}`},
		{"marker with a token", `{"v":1,"access_token":"secret-at","reauthorize":"revoked"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unmarshal([]byte(tc.in))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "12345") {
				t.Errorf("the error quotes the record: %v", err)
			}
		})
	}
}

func TestPackRefusesMixedSealing(t *testing.T) {
	if _, err := Unpack(nil, "k", "key-1", []byte("x")); err == nil || !strings.Contains(err.Error(), "key-1") {
		t.Errorf("a sealed record read without a sealer: err = %v", err)
	}
}

// A record without tokens is written and read only as a marker, which
// keeps its reason; the refresh expiry survives too.
func TestMarkerAndRefreshExpiry(t *testing.T) {
	exp := time.Date(2027, 1, 2, 3, 4, 5, 6, time.UTC)
	marker := (&oauth2.Token{}).WithExtra(map[string]any{ExtraReauthorize: "revoked"})
	withExpiry := (&oauth2.Token{AccessToken: "a", RefreshToken: "r"}).WithExtra(map[string]any{ExtraRefreshExpiry: exp})
	for _, tc := range []struct {
		name string
		tok  *oauth2.Token
		want map[string]any // the Extra fields read back; nil: Marshal refuses
	}{
		{"marker", marker, map[string]any{ExtraReauthorize: "revoked", ExtraRefreshExpiry: nil}},
		{"refresh expiry", withExpiry, map[string]any{ExtraReauthorize: nil, ExtraRefreshExpiry: exp}},
		{"marker with an access token", (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{ExtraReauthorize: "revoked"}), nil},
		{"no token, no marker", &oauth2.Token{TokenType: "Bearer"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Marshal(tc.tok)
			if tc.want == nil {
				if err == nil {
					t.Fatalf("Marshal accepted it: %s", b)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			back, err := Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for k := range tc.want {
				got[k] = back.Extra(k)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Extra read back (-want +got):\n%s", d)
			}
		})
	}
}
