package cassette_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/cassette"
)

// The secrets of the session below; each is sent or answered once.
const (
	clientSecret = "cs/9Kx+Qz=Vw~Lm.42Rb"
	code         = "AUTHCODE-7f3a9c"
	verifier     = "verifier-Qm9vYmFy-0123456789abcdefghijklmnopqrstu"
	stateValue   = "state-zx81-spectrum"
	accessToken  = "AT.k9/Qz+Wm4=Rt7pLx2"
	refreshToken = "RT.u3/Fb+Nc8=Yh1sKd6"
	newAccess    = "AT2.second-access-token"
	cookieValue  = "sess-0xdeadbeef"
	email        = "ada.lovelace@example.com"
	userSecret   = "acct-42-private-id"
)

// forms returns the encodings of v a cassette must not hold.
func forms(v string) map[string]string {
	js, _ := json.Marshal(v)
	return map[string]string{
		"plain":       v,
		"URL-escaped": url.QueryEscape(v),
		"path":        url.PathEscape(v),
		"JSON":        string(js[1 : len(js)-1]),
		"base64":      base64.StdEncoding.EncodeToString([]byte(v)),
		"base64url":   base64.RawURLEncoding.EncodeToString([]byte(v)),
	}
}

// provider answers like an OAuth server and an API, echoing what a real
// one may echo.
func provider(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1/cb?code="+url.QueryEscape(code)+"&state="+r.FormValue("state"), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: cookieValue})
		if r.FormValue("grant_type") == "refresh_token" {
			io.WriteString(w, `{"access_token":"`+newAccess+`","token_type":"bearer"}`)
			return
		}
		io.WriteString(w, `{"access_token":"`+accessToken+`","refresh_token":"`+refreshToken+`","token_type":"bearer","expires_in":3600}`)
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// An echo of the token, escaped as JSON may escape it.
		io.WriteString(w, `{"email":"`+email+`","account":"`+userSecret+`","debug":"`+strings.ReplaceAll(r.Header.Get("Authorization"), "/", `\/`)+`","code":"not_found"}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func session(t *testing.T, c *http.Client, base string) {
	t.Helper()
	do := func(req *http.Request) {
		t.Helper()
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(res.Body)
		res.Body.Close()
	}
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("GET", base+"/authorize?client_id=app&state="+stateValue, nil)
	res, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier}}
	req, _ = http.NewRequest("POST", base+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("app", url.QueryEscape(clientSecret))
	do(req)

	req, _ = http.NewRequest("GET", base+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Cookie", "sid="+cookieValue)
	do(req)

	form = url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_secret": {clientSecret}}
	req, _ = http.NewRequest("POST", base+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	do(req)
}

// A recorded session, saved, holds none of the secrets it carried in any
// encoding, and keeps what is not secret.
func TestRecorderRemovesSecrets(t *testing.T) {
	srv := provider(t)
	rec := cassette.NewRecorder("example", nil, cassette.RedactEmails(), cassette.Secrets(userSecret))
	session(t, &http.Client{Transport: rec}, srv.URL)

	path := filepath.Join(t.TempDir(), "session.json")
	if err := rec.Save(path); err != nil {
		t.Fatalf("Save: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{clientSecret, code, verifier, stateValue, accessToken, refreshToken, newAccess, cookieValue, email, userSecret,
		base64.StdEncoding.EncodeToString([]byte("app:" + url.QueryEscape(clientSecret)))} {
		for name, f := range forms(secret) {
			if strings.Contains(string(data), f) {
				t.Errorf("the cassette holds the secret %.6s… %s", secret, name)
			}
		}
	}

	c, err := cassette.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if d := cmp.Diff(rec.Cassette(), c); d != "" {
		t.Errorf("Load(Save(c)) differs from c (-saved +loaded):\n%s", d)
	}
	if len(c.Interactions) != 4 {
		t.Fatalf("%d interactions recorded, want 4", len(c.Interactions))
	}
	me := c.Interactions[2]
	if got, want := me.Request.Header.Get("Authorization"), "Bearer [redacted]"; got != want {
		t.Errorf("the API call's Authorization = %q, want %q: the scheme kept, the token not", got, want)
	}
	var answer map[string]string
	if err := json.Unmarshal(me.Response.Body, &answer); err != nil {
		t.Fatalf("the API answer is no longer JSON: %v", err)
	}
	if answer["code"] != "not_found" {
		t.Errorf(`the answer's error "code" = %q, want it kept as "not_found"`, answer["code"])
	}
	if got := c.Interactions[1].Request.Body; !strings.Contains(string(got), "grant_type=authorization_code") {
		t.Errorf("the token request's form lost its grant type: %s", got)
	}
}

// Emails are kept unless asked for.
func TestRecorderKeepsEmailsUnlessAsked(t *testing.T) {
	srv := provider(t)
	rec := cassette.NewRecorder("example", nil)
	session(t, &http.Client{Transport: rec}, srv.URL)
	data, err := cassette.Encode(rec.Cassette())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), email) {
		t.Error("without RedactEmails, the email was removed")
	}
}

// Save refuses a cassette in which a known secret survives, in any
// encoding, writes nothing, and does not quote the secret.
func TestSaveRefusesSurvivingSecret(t *testing.T) {
	for name, f := range forms(accessToken) {
		t.Run(name, func(t *testing.T) {
			c := &cassette.Cassette{Provider: "example", Interactions: []cassette.Interaction{{
				Request:  cassette.Request{Method: "GET", URL: "https://api.example.com/me"},
				Response: cassette.Response{Status: 200, Body: cassette.Body(`{"note":"` + f + `"}`)},
			}}}
			path := filepath.Join(t.TempDir(), "c.json")
			err := cassette.Save(path, c, accessToken)
			if err == nil {
				t.Fatal("Save wrote a cassette holding a known secret")
			}
			if strings.Contains(err.Error(), accessToken[:6]) || strings.Contains(err.Error(), "\n") {
				t.Errorf("the error quotes the secret or spans lines: %v", err)
			}
			if !strings.Contains(err.Error(), "interaction 1's answer body") {
				t.Errorf("the error does not say where: %v", err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("Save left a file: %v", err)
			}
			if err := cassette.Save(path, c, "another-secret"); err != nil {
				t.Errorf("Save with other secrets: %v", err)
			}
		})
	}
}

// Bodies that are not UTF-8 survive a round trip, as base64.
func TestBinaryBody(t *testing.T) {
	c := &cassette.Cassette{Version: cassette.Version, Provider: "example", Interactions: []cassette.Interaction{{
		Request:  cassette.Request{Method: "PUT", URL: "https://api.example.com/f", Body: cassette.Body{0xff, 0x00, 0xfe}},
		Response: cassette.Response{Status: 204, Body: cassette.Body("text")},
	}}}
	data, err := cassette.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"base64": "/wD+"`) || !strings.Contains(string(data), `"body": "text"`) {
		t.Errorf("bodies not written as base64 and text:\n%s", data)
	}
	got, err := cassette.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(c, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func TestParseRejects(t *testing.T) {
	for _, data := range []string{`{"version":2,"provider":"x"}`, `not json`, `{"version":1,"interactions":[{"request":{"body":3}}]}`} {
		if _, err := cassette.Parse([]byte(data)); err == nil {
			t.Errorf("Parse(%s) succeeded", data)
		}
	}
}

// A request's context may name another provider than the Recorder's.
func TestWithProvider(t *testing.T) {
	srv := provider(t)
	rec := cassette.NewRecorder("example", nil)
	req, _ := http.NewRequestWithContext(cassette.WithProvider(context.Background(), "other"), "GET", srv.URL+"/me", nil)
	res, err := (&http.Client{Transport: rec}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	c := rec.Cassette()
	if got := c.ProviderOf(0); got != "other" {
		t.Errorf("ProviderOf(0) = %q, want other", got)
	}
}

// Save refuses a cassette that a Recorder would not have left as it is:
// a credential, a cookie or a secret-named parameter's value, known or not.
func TestSaveRefusesUnredacted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    cassette.Interaction
		where string
	}{
		{"a token in the URL", cassette.Interaction{Request: cassette.Request{Method: "GET", URL: "https://api.example.com/me?access_token=unknown-value-123"}, Response: cassette.Response{Status: 200}}, "request URL"},
		{"an Authorization header", cassette.Interaction{Request: cassette.Request{Method: "GET", URL: "https://api.example.com/me", Header: http.Header{"Authorization": {"Bearer unknown-value-123"}}}, Response: cassette.Response{Status: 200}}, "request header"},
		{"a cookie", cassette.Interaction{Request: cassette.Request{Method: "GET", URL: "https://api.example.com/me"}, Response: cassette.Response{Status: 200, Header: http.Header{"Set-Cookie": {"sid=abcdef123"}}}}, "answer header"},
		{"a refresh token in a JSON answer", cassette.Interaction{Request: cassette.Request{Method: "POST", URL: "https://api.example.com/token"}, Response: cassette.Response{Status: 200, Body: cassette.Body(`{"refresh_token":"unknown-value-123"}`)}}, "answer body"},
		{"a client secret in a form", cassette.Interaction{Request: cassette.Request{Method: "POST", URL: "https://api.example.com/token", Body: cassette.Body("client_secret=unknown-value-123")}, Response: cassette.Response{Status: 200}}, "request body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &cassette.Cassette{Provider: "example", Interactions: []cassette.Interaction{tc.in}}
			_, err := cassette.Encode(c)
			if err == nil || !strings.Contains(err.Error(), "interaction 1's "+tc.where) || strings.Contains(err.Error(), "unknown-value") {
				t.Errorf("Encode: %v, want a refusal naming interaction 1's %s and not the value", err, tc.where)
			}
		})
	}
	ok := &cassette.Cassette{Provider: "example", Interactions: []cassette.Interaction{{
		Request:  cassette.Request{Method: "GET", URL: "https://api.example.com/me", Header: http.Header{"Authorization": {"Bearer [redacted]"}, "Content-Length": {"0"}}},
		Response: cassette.Response{Status: 404, Body: cassette.Body(`{"code": "not_found", "message": "<none>"}`)},
	}}}
	if _, err := cassette.Encode(ok); err != nil {
		t.Errorf("Encode of a redacted cassette: %v", err)
	}
}

// A secret-named parameter whose value is a literal ("null", "none")
// does not make that word a secret everywhere.
func TestLiteralsNotLearned(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"refresh_token":"none","note":"none of these","flag":"true"}`)
	}))
	defer srv.Close()
	rec := cassette.NewRecorder("example", nil)
	req, _ := http.NewRequest("POST", srv.URL+"/token", strings.NewReader("token=true"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := (&http.Client{Transport: rec}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	got := string(rec.Cassette().Interactions[0].Response.Body)
	if !strings.Contains(got, `"note":"none of these"`) || !strings.Contains(got, `"flag":"true"`) {
		t.Errorf("literal values were removed elsewhere: %s", got)
	}
}
