package authserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const cb = "http://127.0.0.1:9/cb"

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authCode gets an authorization code the way a browser would.
func authCode(t *testing.T, f *Fake, extra url.Values) string {
	t.Helper()
	q := url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb}, "response_type": {"code"}, "state": {"s"}}
	for k, v := range extra {
		q[k] = v
	}
	res, err := noFollow.Get(f.Endpoint.AuthURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if loc.Query().Get("code") == "" {
		t.Fatalf("no code: %s", res.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

// consent sends the browser to the authorization endpoint with q and
// returns the status and the error the redirect back carries.
func consent(t *testing.T, f *Fake, q url.Values) answer {
	t.Helper()
	res, err := noFollow.Get(f.Endpoint.AuthURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	return answer{res.StatusCode, map[string]any{"error": loc.Query().Get("error")}}
}

// answer is what a token endpoint said.
type answer struct {
	status int
	body   map[string]any
}

func post(t *testing.T, f *Fake, form url.Values, basic bool) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.Endpoint.TokenURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(f.Client.ID, f.Client.Secret)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	json.NewDecoder(res.Body).Decode(&body)
	return answer{res.StatusCode, body}
}

// Each row sends what the dialect refuses and expects its error.
func TestStrictness(t *testing.T) {
	cases := []struct {
		name    string
		dialect Dialect
		send    func(t *testing.T, f *Fake) answer
		status  int
		code    string
	}{
		{name: "GET token endpoint: a POST", dialect: queryDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"streams.read"}})
				return post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb},
					"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
			}, status: 405, code: "invalid_request"},
		{name: "comma delimiter: space-separated scopes", dialect: queryDialect(),
			send: func(t *testing.T, f *Fake) answer {
				return consent(t, f, url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb},
					"response_type": {"code"}, "scope": {"streams.read streams.create"}})
			}, status: 302, code: "invalid_scope"},
		{name: "missing PKCE verifier", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"events:read"}, "code_challenge": {s256("v")}, "code_challenge_method": {"S256"}})
				return post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb},
					"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
			}, status: 400, code: "invalid_request"},
		{name: "a scope that stands alone, with another", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				return consent(t, f, url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb},
					"response_type": {"code"}, "scope": {"full:write events:read"}})
			}, status: 302, code: "invalid_scope"},
		{name: "a parameter twice at the authorization endpoint", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				return consent(t, f, url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb},
					"response_type": {"code"}, "scope": {"events:read", "full:write"}})
			}, status: 302, code: "invalid_request"},
		{name: "redirect_uri twice at the authorization endpoint", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				return consent(t, f, url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb, "http://127.0.0.1:9/elsewhere"},
					"response_type": {"code"}, "scope": {"events:read"}})
			}, status: 400},
		{name: "a parameter twice at the token endpoint", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"events:read"}})
				return post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c, "another"}, "redirect_uri": {cb},
					"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
			}, status: 400, code: "invalid_request"},
		{name: "a code used twice", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"events:read"}})
				form := url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb},
					"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
				if a := post(t, f, form, false); a.status != 200 {
					t.Fatalf("first use: %v", a)
				}
				return post(t, f, form, false)
			}, status: 400, code: "invalid_grant"},
		{name: "redirect_uri differs at exchange", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"events:read"}})
				return post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb + "/other"},
					"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
			}, status: 400, code: "invalid_grant"},
		{name: "Basic: credentials in the body", dialect: basicDialect(),
			send: func(t *testing.T, f *Fake) answer {
				return post(t, f, url.Values{"grant_type": {"client_credentials"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
			}, status: 401, code: "invalid_client"},
		{name: "rotating: a reused refresh token", dialect: basicDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"identity"}})
				a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb}}, true)
				rt, _ := a.body["refresh_token"].(string)
				form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
				if a := post(t, f, form, true); a.status != 200 {
					t.Fatalf("first refresh: %v", a)
				}
				return post(t, f, form, true)
			}, status: 400, code: "invalid_grant"},
		{name: "narrowing beyond the grant", dialect: basicDialect(),
			send: func(t *testing.T, f *Fake) answer {
				c := authCode(t, f, url.Values{"scope": {"identity"}})
				a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb}}, true)
				rt, _ := a.body["refresh_token"].(string)
				return post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "scope": {"chat:write"}}, true)
			}, status: 400, code: "invalid_scope"},
		{name: "bare token: Bearer prefix on the API", dialect: basicDialect(),
			send: func(t *testing.T, f *Fake) answer {
				req, _ := http.NewRequest(http.MethodGet, f.APIURL, nil)
				req.Header.Set("Authorization", "Bearer "+f.Issue(f.Client.ID, nil, time.Hour))
				return do(t, req)
			}, status: 401},
		{name: "at least one scope", dialect: basicDialect(),
			send: func(t *testing.T, f *Fake) answer {
				return consent(t, f, url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb}, "response_type": {"code"}})
			}, status: 302, code: "invalid_scope"},
		{name: "an expired token on the API", dialect: formDialect(),
			send: func(t *testing.T, f *Fake) answer {
				req, _ := http.NewRequest(http.MethodGet, f.APIURL, nil)
				req.Header.Set("Authorization", "Bearer "+f.Issue(f.Client.ID, nil, -time.Second))
				return do(t, req)
			}, status: 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := startFor(tc.dialect)
			defer f.Close()
			got := tc.send(t, f)
			gotCode, _ := got.body["error"].(string)
			if got.status != tc.status || gotCode != tc.code {
				t.Errorf("got %d %q (%v), want %d %q", got.status, gotCode, got.body, tc.status, tc.code)
			}
		})
	}
}

// startFor serves d at its made-up provider's paths.
func startFor(d Dialect) *Fake { return Start(d, endpointOf(d), cb) }
