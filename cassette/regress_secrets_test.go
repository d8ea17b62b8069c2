package cassette_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/onair-go/onair/cassette"
)

// Each case sends one request through a Recorder to a server that
// answers as given, and the cassette must hold none of the secrets.
func TestSecretsRemoved(t *testing.T) {
	const tok = "tok-Zq8.Wn4~Lm2_Xy7"
	const pass = "p@ss:w/rd+%&=ok"
	const mail = "grace.hopper@example.org"
	cases := []struct {
		name    string
		opts    []cassette.Option
		req     func(base string) *http.Request
		answer  func(w http.ResponseWriter, r *http.Request)
		secrets []string
	}{
		{
			name: "implicit redirect fragment",
			req:  func(b string) *http.Request { r, _ := http.NewRequest("GET", b+"/authorize", nil); return r },
			answer: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", "https://app.example/cb#access_token="+tok+"&token_type=bearer&state=st-1234")
				w.WriteHeader(http.StatusFound)
			},
			secrets: []string{tok, "st-1234"},
		},
		{
			name: "Basic with a form-escaped secret echoed in an error",
			req: func(b string) *http.Request {
				r, _ := http.NewRequest("POST", b+"/token", strings.NewReader("grant_type=client_credentials"))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.SetBasicAuth("client-1", url.QueryEscape(pass))
				return r
			},
			answer: func(w http.ResponseWriter, r *http.Request) {
				_, p, _ := r.BasicAuth()
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(401)
				io.WriteString(w, `{"error":"invalid_client","error_description":"bad secret `+p+`"}`)
			},
			secrets: []string{pass, url.QueryEscape(pass)},
		},
		{
			name: "DLive bare token echoed under an unusual name",
			req: func(b string) *http.Request {
				r, _ := http.NewRequest("POST", b+"/", strings.NewReader(`{"query":"query Me { me { username } }"}`))
				r.Header.Set("Authorization", tok)
				return r
			},
			answer: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, `{"errors":[{"message":"bad auth","extensions":{"given":"`+r.Header.Get("Authorization")+`"}}]}`)
			},
			secrets: []string{tok},
		},
		{
			name: "refresh token in a form without a content type",
			req: func(b string) *http.Request {
				r, _ := http.NewRequest("POST", b+"/token", strings.NewReader("grant_type=refresh_token&refresh_token="+url.QueryEscape(tok)))
				return r
			},
			answer: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, `{"error":"invalid_grant","hint":"`+base64.StdEncoding.EncodeToString([]byte(tok))+`"}`)
			},
			secrets: []string{tok},
		},
		{
			name: "emails escaped in JSON",
			opts: []cassette.Option{cassette.RedactEmails()},
			req:  func(b string) *http.Request { r, _ := http.NewRequest("GET", b+"/people", nil); return r },
			answer: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"data":[{"attributes":{"email":"grace.hopper\u0040example.org"}}]}`)
			},
			secrets: []string{mail},
		},
		{
			name: "emails in a cookie and a URL path",
			opts: []cassette.Option{cassette.RedactEmails()},
			req: func(b string) *http.Request {
				r, _ := http.NewRequest("GET", b+"/people/"+url.PathEscape(mail), nil)
				return r
			},
			answer: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, `ok `+r.URL.Path)
			},
			secrets: []string{mail},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(tc.answer))
			defer srv.Close()
			rec := cassette.NewRecorder("livepush", nil, tc.opts...)
			cl := &http.Client{Transport: rec, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := cl.Do(tc.req(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			data, err := cassette.Encode(rec.Cassette())
			if err != nil {
				t.Fatalf("Encode refuses what the Recorder left: %v", err)
			}
			for _, s := range tc.secrets {
				for form, v := range forms(s) {
					if strings.Contains(string(data), v) {
						t.Errorf("the cassette holds %s %s:\n%s", form, s, data)
					}
				}
			}
		})
	}
}
