package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/apiclient/leakcheck"
	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/scopes"
)

const (
	testAccess  = "AT.k9/Qz+Wm4=Rt7pLx2"
	testRefresh = "RT.u3/Fb+Nc8=Yh1sKd6"
)

// rawDecode is the worst DecodeError a provider could have: it quotes the
// whole body, decoded too, and every header.
func rawDecode(base onair.APIError, body []byte) error {
	var v any
	json.Unmarshal(body, &v)
	return fmt.Errorf("HTTP %d: %s %v %v %+v", base.StatusCode, body, v, base.Header, base)
}

func testClient(t *testing.T, src oauth2.TokenSource, base string, decode func(onair.APIError, []byte) error) *Client[scopes.Livepush] {
	t.Helper()
	c, err := New[scopes.Livepush](Config{Provider: "livepush", Source: src, BaseURL: base, DecodeError: decode,
		Retry: Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(c *Client[scopes.Livepush], base string) error {
	req, _ := http.NewRequest(http.MethodGet, base+"/streams/st_1", nil)
	return c.Do(context.Background(), &Op[scopes.Livepush]{Name: "Streams.Get"}, req, nil, nil)
}

func staticSource() oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccess, RefreshToken: testRefresh, Expiry: time.Now().Add(time.Hour)})
}

// Whatever an error answer echoes, and wherever, DoStatus removes the
// token before the provider's DecodeError sees the answer, so that even a
// DecodeError that quotes everything quotes no secret; what is not secret
// (Retry-After, an error "code") reaches it.
func TestErrorAnswersAreCleaned(t *testing.T) {
	// Most answers quote the token alone, with no name or scheme before it
	// that would give it away to the redactor without the token known.
	bearer := func(r *http.Request) string { return r.Header.Get("Authorization") }
	cred := func(r *http.Request) string { return credentials(bearer(r)) }
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
	}{
		{"text body", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "rejected header Authorization: "+bearer(r), http.StatusBadRequest)
		}},
		{"query-escaped", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "https://proxy.example/deny?seen="+url.QueryEscape(cred(r)), http.StatusForbidden)
		}},
		{"JSON message", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(map[string]any{"message": "rejected " + cred(r), "code": "not_found"})
		}},
		{`JSON with \/ and \u escapes`, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			esc := strings.NewReplacer("/", `\/`, "+", `\u002b`, "=", `\u003D`).Replace(cred(r))
			io.WriteString(w, `{"message":"rejected `+esc+`","nested":[{"`+esc+`":"`+esc+`"}],"code":"not_found"}`)
		}},
		{"JSON secret-named members", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"access_token":"other-secret-1","token":12345678,"refresh_token":{"v":"x"},"message":"token=other-secret-2","code":"not_found"}`)
		}},
		{"headers", func(w http.ResponseWriter, r *http.Request) {
			for _, k := range []string{"Authorization", "Proxy-Authorization", "Set-Cookie"} {
				w.Header().Set(k, bearer(r))
			}
			w.Header().Set("X-Echo", cred(r))
			w.Header().Set("Www-Authenticate", `Bearer error="invalid_request", error_description="`+cred(r)+`"`)
			w.Header().Set("X-"+strings.NewReplacer("/", "", "+", "", "=", "", ".", "").Replace(testAccess), "1")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":"not_found"}`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "7")
				tc.answer(w, r)
			}))
			defer srv.Close()
			var header http.Header
			var body []byte
			c := testClient(t, staticSource(), srv.URL, func(base onair.APIError, b []byte) error {
				header, body = base.Header, b
				return rawDecode(base, b)
			})
			err := get(c, srv.URL)
			if err == nil {
				t.Fatal("no error")
			}
			secrets := []string{testAccess, testRefresh, url.QueryEscape(testAccess), "other-secret-1", "other-secret-2", "12345678"}
			if where := leakcheck.Leak(err, secrets...); where != "" {
				t.Error(where)
			}
			if got := header.Get("Retry-After"); got != "7" {
				t.Errorf("DecodeError saw Retry-After %q, want 7", got)
			}
			if json.Valid(body) && !strings.Contains(string(body), `"code":"not_found"`) {
				t.Errorf("DecodeError saw %s: the error code is gone", body)
			}
		})
	}
}

// The credentials the answer's request carried are removed even when the
// source has moved on to another token since.
func TestErrorAnswersLoseTheTokenSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "rejected "+credentials(r.Header.Get("Authorization")), http.StatusUnauthorized)
	}))
	defer srv.Close()
	var calls atomic.Int32
	rotating := tokenSourceFunc(func() (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: fmt.Sprintf("AT-rotated-%d-%s", calls.Add(1), testAccess[3:]), Expiry: time.Now().Add(time.Hour)}, nil
	})
	err := get(testClient(t, rotating, srv.URL, rawDecode), srv.URL)
	if where := leakcheck.Leak(err, "AT-rotated-1-"+testAccess[3:]); err == nil || where != "" {
		t.Errorf("err = %v: %s", err, where)
	}
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

// An insufficient_scope answer keeps matching scopes.ErrNotGranted and
// *auth.InsufficientScopeError, whose header, body, scope and description
// lose the token too.
func TestScopeRefusalIsCleaned(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := credentials(r.Header.Get("Authorization"))
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="events:write `+echo+`", error_description="rejected `+echo+`\n\x1b[2J"`)
		w.Header().Set("X-Echo", echo)
		w.Header().Set("Authorization", "Bearer "+echo)
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"rejected `+echo+`"}`)
	}))
	defer srv.Close()
	err := get(testClient(t, staticSource(), srv.URL, rawDecode), srv.URL)
	var ise *auth.InsufficientScopeError
	if !errors.Is(err, scopes.ErrNotGranted) || !errors.As(err, &ise) {
		t.Fatalf("err = %v, want one matching scopes.ErrNotGranted and *auth.InsufficientScopeError", err)
	}
	if where := leakcheck.Leak(err, testAccess, testRefresh); where != "" {
		t.Error(where)
	}
	if where := leakcheck.Line(err); where != "" {
		t.Error(where)
	}
	if where := leakcheck.Leak(fmt.Errorf("%v %v %s", ise.Header, ise.Scope, ise.Body), testAccess); where != "" {
		t.Error(where)
	}
	if len(ise.Scope) == 0 || ise.Scope[0] != "events:write" {
		t.Errorf("Scope = %q, want events:write first", ise.Scope)
	}
}

// A server that answers a malformed status line or header echoing the
// request's token makes a transport error that quotes it: the error loses
// the token and stays a *url.Error.
func TestTransportErrorIsCleaned(t *testing.T) {
	for _, answer := range []string{
		"%s\r\n\r\n",
		"HTTP/1.1 %s OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\n%s\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n",
	} {
		base := leaktest.RawServer(t, func(authz string) string { return fmt.Sprintf(answer, credentials(authz)) })
		err := get(testClient(t, staticSource(), base, rawDecode), base)
		var ue *url.Error
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "malformed") && !strings.Contains(err.Error(), "bad Content-Length") {
			t.Errorf("%q: err = %v, want a *url.Error saying the answer was malformed", answer, err)
		}
		if where := leakcheck.Leak(err, testAccess); where != "" {
			t.Errorf("%q: %s", answer, where)
		}
	}
}

// Clean removes the secrets of a 2xx answer that reports an error.
func TestClean(t *testing.T) {
	c := testClient(t, staticSource(), "https://api.example", rawDecode)
	type gqlError struct {
		Message    string
		Extensions map[string]any
	}
	in := []gqlError{{Message: "rejected Bearer " + testAccess, Extensions: map[string]any{"echo": []any{testRefresh}}}}
	got := Clean(context.Background(), c, Answer{}, in)
	if where := leakcheck.Leak(fmt.Errorf("%#v", got), testAccess, testRefresh); where != "" {
		t.Error(where)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0].Message, "rejected Bearer ") {
		t.Errorf("Clean = %#v, want the message kept but for the token", got)
	}
}

// Errors after the answer's header is read (a malformed chunk or trailer
// while reading the body, a value that does not decode) quote the answer,
// which may echo the token: they lose it too.
func TestAnswerReadAndDecodeErrorsAreCleaned(t *testing.T) {
	for _, tc := range []struct {
		name, answer string // answer has %s where the sent token goes
		out          any
	}{
		{"a trailer without a colon, 200", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nseen %s\r\n\r\n", nil},
		{"a trailer without a colon, 404", "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nseen %s\r\n\r\n", nil},
		{"a malformed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%s\r\n{}\r\n0\r\n\r\n", nil},
		{"a time that does not parse", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 37\r\n\r\n{\"created_at\":\"%s\"}", &struct {
			CreatedAt time.Time `json:"created_at"`
		}{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := leaktest.RawServer(t, func(authz string) string { return fmt.Sprintf(tc.answer, credentials(authz)) })
			c := testClient(t, staticSource(), base, rawDecode)
			req, _ := http.NewRequest(http.MethodGet, base+"/streams/st_1", nil)
			err := c.Do(context.Background(), &Op[scopes.Livepush]{Name: "Streams.Get"}, req, tc.out, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if where := leakcheck.Leak(err, testAccess); where != "" {
				t.Error(where)
			}
		})
	}
}
