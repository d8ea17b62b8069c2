package authserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// refusal is what the token or revocation endpoint answered, headers
// included: a client reads the Allow of a 405 and the Basic challenge of
// a 401, and no error answer may be cached.
type refusal struct {
	Status                               int
	Error, Description                   string
	Allow, Challenge, Cache, ContentType string
}

// The endpoints' refusals carry their status, RFC 6749 §5.2 body and
// headers exactly.
func TestRefusalHeaders(t *testing.T) {
	const jsonType = "application/json"
	for _, tc := range []struct {
		name    string
		dialect Dialect
		method  string
		revoke  bool // to the revocation endpoint, else the token endpoint
		form    func(*Fake) url.Values
		basic   bool
		want    refusal
	}{
		{
			name: "token endpoint, wrong method", dialect: queryDialect(), method: http.MethodPost,
			form: func(*Fake) url.Values { return url.Values{"grant_type": {"refresh_token"}} },
			want: refusal{Status: 405, Error: "invalid_request", Description: "the token endpoint accepts GET only", Allow: "GET", Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "revocation endpoint, wrong method", dialect: formDialect(), method: http.MethodGet, revoke: true,
			form: func(*Fake) url.Values { return url.Values{"token": {"x"}} },
			want: refusal{Status: 405, Error: "invalid_request", Description: "the revocation endpoint accepts POST only", Allow: "POST", Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "Basic dialect, credentials in the body", dialect: basicDialect(), method: http.MethodPost,
			form: func(f *Fake) url.Values {
				return url.Values{"grant_type": {"refresh_token"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
			},
			want: refusal{Status: 401, Error: "invalid_client", Description: "client authentication must use HTTP Basic", Challenge: `Basic realm="basicco"`, Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "Basic dialect, wrong secret", dialect: basicDialect(), method: http.MethodPost, basic: true,
			form: func(*Fake) url.Values { return url.Values{"grant_type": {"refresh_token"}} },
			want: refusal{Status: 401, Error: "invalid_client", Description: "unknown client or wrong secret", Challenge: `Basic realm="basicco"`, Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "parameter dialect, wrong secret", dialect: formDialect(), method: http.MethodPost,
			form: func(f *Fake) url.Values {
				return url.Values{"grant_type": {"refresh_token"}, "client_id": {f.Client.ID}, "client_secret": {"wrong"}}
			},
			want: refusal{Status: 401, Error: "invalid_client", Description: "unknown client or wrong secret", Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "revocation, repeated parameter", dialect: formDialect(), method: http.MethodPost, revoke: true,
			form: func(f *Fake) url.Values {
				return url.Values{"token": {"a", "b"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
			},
			want: refusal{Status: 400, Error: "invalid_request", Description: "token must be sent once", Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "revocation, no token", dialect: formDialect(), method: http.MethodPost, revoke: true,
			form: func(f *Fake) url.Values {
				return url.Values{"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
			},
			want: refusal{Status: 400, Error: "invalid_request", Description: "token is missing", Cache: "no-store", ContentType: jsonType},
		},
		{
			name: "revocation, good", dialect: formDialect(), method: http.MethodPost, revoke: true,
			form: func(f *Fake) url.Values {
				return url.Values{"token": {"never-issued"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
			},
			want: refusal{Status: 200, Cache: "no-store"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := startFor(tc.dialect)
			t.Cleanup(f.Close)
			u := f.Endpoint.TokenURL
			if tc.revoke {
				u = f.Endpoint.RevokeURL
			}
			var req *http.Request
			if tc.method == http.MethodGet {
				req, _ = http.NewRequest(tc.method, u+"?"+tc.form(f).Encode(), nil)
			} else {
				req, _ = http.NewRequest(tc.method, u, strings.NewReader(tc.form(f).Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tc.basic {
				req.SetBasicAuth(f.Client.ID, "wrong")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]string
			json.NewDecoder(res.Body).Decode(&body) // a 200 has no body
			got := refusal{
				Status: res.StatusCode, Error: body["error"], Description: body["error_description"],
				Allow: res.Header.Get("Allow"), Challenge: res.Header.Get("WWW-Authenticate"),
				Cache: res.Header.Get("Cache-Control"), ContentType: res.Header.Get("Content-Type"),
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}
