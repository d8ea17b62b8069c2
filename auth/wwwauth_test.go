package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"
)

// wwwAuthCases are WWW-Authenticate fields (one string per field line)
// with their parse; a nil want with wantErr set means malformed.
var wwwAuthCases = []struct {
	name    string
	lines   []string
	want    []authChallenge
	wantErr bool
}{
	{name: "quoted-pairs in a description",
		lines: []string{`Bearer error="insufficient_scope", error_description="the \"events:write\" scope is missing"`},
		want:  []authChallenge{bearer("error", "insufficient_scope", "error_description", `the "events:write" scope is missing`)}},
	{name: "a description that tries to add an error",
		lines: []string{`Bearer error="invalid_token", error_description="\", error=insufficient_scope, x=\""`},
		want:  []authChallenge{bearer("error", "invalid_token", "error_description", `", error=insufficient_scope, x="`)}},
	{name: "a description that tries to end early",
		lines: []string{`Bearer error_description="\\", error="invalid_token"`},
		want:  []authChallenge{bearer("error_description", `\`, "error", "invalid_token")}},
	{name: "commas inside a quoted-string",
		lines: []string{`Bearer realm="a, b, Basic c", error="invalid_token"`},
		want:  []authChallenge{bearer("realm", "a, b, Basic c", "error", "invalid_token")}},
	{name: "error= inside a quoted scope",
		lines: []string{`Bearer scope="error=insufficient_scope", error="invalid_token"`},
		want:  []authChallenge{bearer("scope", "error=insufficient_scope", "error", "invalid_token")}},
	{name: "bearer not first",
		lines: []string{`Basic realm="api", Bearer error="insufficient_scope", scope="events:read events:write"`},
		want: []authChallenge{
			{scheme: "basic", params: map[string]string{"realm": "api"}},
			bearer("error", "insufficient_scope", "scope", "events:read events:write"),
		}},
	{name: "challenges on several lines",
		lines: []string{`Basic realm="api"`, `Bearer error="invalid_token"`},
		want:  []authChallenge{{scheme: "basic", params: map[string]string{"realm": "api"}}, bearer("error", "invalid_token")}},
	{name: "a challenge's parameters on two lines",
		lines: []string{`Bearer error="insufficient_scope"`, `scope="events:write"`},
		want:  []authChallenge{bearer("error", "insufficient_scope", "scope", "events:write")}},
	{name: "token68 challenges around bearer",
		lines: []string{`Negotiate a87421/+.~_-b==, Bearer error=invalid_token, NTLM abc`},
		want: []authChallenge{
			{scheme: "negotiate", token68: "a87421/+.~_-b=="},
			bearer("error", "invalid_token"),
			{scheme: "ntlm", token68: "abc"},
		}},
	{name: "token68 that could start a parameter",
		lines: []string{`Bearer abc=`, `Bearer abc= ,Basic`},
		want:  []authChallenge{{scheme: "bearer", token68: "abc="}, {scheme: "bearer", token68: "abc="}, {scheme: "basic"}}},
	{name: "names in any case",
		lines: []string{`BEARER ERROR="invalid_token", Error_Description=Expired`},
		want:  []authChallenge{bearer("error", "invalid_token", "error_description", "Expired")}},
	{name: "empty elements and OWS",
		lines: []string{` , ,Bearer   error="invalid_token" ,	 , scope=a ,, `},
		want:  []authChallenge{bearer("error", "invalid_token", "scope", "a")}},
	{name: "an empty first parameter",
		lines: []string{`Bearer , error=invalid_token`},
		want:  []authChallenge{bearer("error", "invalid_token")}},
	{name: "BWS around =",
		lines: []string{"Bearer error =\t\"invalid_token\""},
		want:  []authChallenge{bearer("error", "invalid_token")}},
	{name: "bare schemes",
		lines: []string{`Bearer`, `Basic, Digest `},
		want:  []authChallenge{{scheme: "bearer"}, {scheme: "basic"}, {scheme: "digest"}}},
	{name: "two bearer challenges",
		lines: []string{`Bearer error="invalid_token", Bearer error="insufficient_scope"`},
		want:  []authChallenge{bearer("error", "invalid_token"), bearer("error", "insufficient_scope")}},
	{name: "quoted-pairs of tab, space and obs-text; UTF-8 kept",
		lines: []string{"Bearer error_description=\"a\\\tb\\ c\\\xc3\xa9 naïve\""},
		want:  []authChallenge{bearer("error_description", "a\tb cé naïve")}},
	{name: "empty quoted value", lines: []string{`Bearer error=""`}, want: []authChallenge{bearer("error", "")}},
	{name: "no field", lines: nil},
	{name: "empty lines", lines: []string{"", " "}},

	{name: "a parameter twice", lines: []string{`Bearer error="invalid_token", error="insufficient_scope"`}, wantErr: true},
	{name: "a parameter twice in other case", lines: []string{`Bearer error=invalid_token, ERROR=insufficient_scope`}, wantErr: true},
	{name: "unterminated quoted-string", lines: []string{`Bearer error="insufficient_scope`}, wantErr: true},
	{name: "a backslash at the end", lines: []string{`Bearer error="a\`}, wantErr: true},
	{name: "a control byte quoted", lines: []string{"Bearer error_description=\"a\x1b[2Jb\""}, wantErr: true},
	{name: "a control byte escaped", lines: []string{"Bearer error_description=\"a\\\x1bb\""}, wantErr: true},
	{name: "DEL quoted", lines: []string{"Bearer error_description=\"a\x7f\""}, wantErr: true},
	{name: "a space in a token value", lines: []string{`Bearer error=invalid token`}, wantErr: true},
	{name: "no comma between parameters", lines: []string{`Bearer error="invalid_token" scope="a"`}, wantErr: true},
	{name: "semicolons", lines: []string{`Bearer error="invalid_token"; scope="a"`}, wantErr: true},
	{name: "a quoted scheme", lines: []string{`"Bearer" error=x`}, wantErr: true},
	{name: "a lone =", lines: []string{`=`}, wantErr: true},
	{name: "a value missing", lines: []string{`Bearer error=, scope=a`}, wantErr: true},
	{name: "a tab after the scheme", lines: []string{"Bearer\terror=invalid_token"}, wantErr: true},
	{name: "no space after the scheme", lines: []string{`Bearer,error=invalid_token`}, wantErr: true},
	{name: "parameters after a token68", lines: []string{`Basic abc==, realm=x`}, wantErr: true},
	{name: "a slash in a name", lines: []string{`Bearer err/or=x`}, wantErr: true},
	{name: "a good line and a bad one", lines: []string{`Bearer error="insufficient_scope"`, `<html>`}, wantErr: true},
	{name: "unquoted obs-text", lines: []string{"Bearer error=caf\xc3\xa9"}, wantErr: true},
}

func bearer(kv ...string) authChallenge {
	c := authChallenge{scheme: "bearer", params: map[string]string{}}
	for i := 0; i < len(kv); i += 2 {
		c.params[kv[i]] = kv[i+1]
	}
	return c
}

var challengeCmp = []cmp.Option{cmp.AllowUnexported(authChallenge{}), cmpopts.EquateEmpty()}

func TestParseWWWAuthenticate(t *testing.T) {
	for _, tc := range wwwAuthCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseWWWAuthenticate(tc.lines)
			if tc.wantErr != (err != nil) {
				t.Fatalf("parse %q: %+v, err %v; want error %v", tc.lines, got, err, tc.wantErr)
			}
			if d := cmp.Diff(tc.want, got, challengeCmp...); d != "" {
				t.Errorf("parse %q (-want +got):\n%s", tc.lines, d)
			}
			// The reference parser must agree on every row.
			ref, ok := refParseWWWAuthenticate(strings.Join(tc.lines, ", "))
			if ok != !tc.wantErr {
				t.Fatalf("reference parse %q: %+v, ok %v; want ok %v", tc.lines, ref, ok, !tc.wantErr)
			}
			if d := cmp.Diff(tc.want, ref, challengeCmp...); d != "" {
				t.Errorf("reference parse %q (-want +got):\n%s", tc.lines, d)
			}
		})
	}
}

// What a Transport does with a 401 or 403 follows the Bearer challenge
// alone, read whole: a quoted description cannot change the error.
func TestTransportReadsChallenges(t *testing.T) {
	const (
		scopeErr = "insufficient scope" // an *InsufficientScopeError
		replayed = "replayed"           // one refresh, the request sent again
		asIs     = "as is"              // the answer returned, no refresh
	)
	for _, tc := range []struct {
		name    string
		status  int
		lines   []string
		want    string
		scope   []string
		descr   string
		wantErr bool
	}{
		{"quoted-pairs", 403, []string{`Bearer error="insufficient_scope", scope="events:write", error_description="the \"events:write\" scope is missing"`},
			scopeErr, []string{"events:write"}, `the "events:write" scope is missing`, true},
		{"a description posing as insufficient_scope", 401, []string{`Bearer error="invalid_token", error_description="\", error=insufficient_scope, x=\""`},
			replayed, nil, "", false},
		{"a scope posing as an error", 401, []string{`Bearer scope="error=insufficient_scope", error="invalid_token"`},
			replayed, nil, "", false},
		{"bearer after basic", 403, []string{`Basic realm="x", Bearer error="insufficient_scope", scope="a b"`},
			scopeErr, []string{"a", "b"}, "", true},
		{"bearer on the second line", 403, []string{`Basic realm="x"`, `bearer ERROR=insufficient_scope`},
			scopeErr, nil, "", true},
		{"the first bearer counts", 401, []string{`Bearer error="invalid_token", Bearer error="insufficient_scope"`},
			replayed, nil, "", false},
		{"other errors", 401, []string{`Bearer error="invalid_request"`}, asIs, nil, "", false},
		{"only another scheme", 401, []string{`Basic realm="x"`}, replayed, nil, "", false},
		// A malformed field is no challenge: a 401 gets the one refresh a
		// bare 401 gets, a 403 comes back as it is.
		{"duplicate error, 401", 401, []string{`Bearer error="insufficient_scope", error="invalid_token"`}, replayed, nil, "", false},
		{"duplicate error, 403", 403, []string{`Bearer error="insufficient_scope", error="insufficient_scope"`}, asIs, nil, "", false},
		{"unterminated", 403, []string{`Bearer error="insufficient_scope`}, asIs, nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var refreshes, requests atomic.Int32
			fetch := func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
				n := refreshes.Add(1)
				return &oauth2.Token{AccessToken: fmt.Sprint("at-", n), RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}, nil
			}
			old := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}
			src := newSource(context.Background(), old, fetch, nil)
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if r.Header.Get("Authorization") == "Bearer at-0" {
					for _, l := range tc.lines {
						w.Header().Add("WWW-Authenticate", l)
					}
					w.WriteHeader(tc.status)
					return
				}
				io.WriteString(w, "ok")
			}))
			defer api.Close()

			res, err := (&http.Client{Transport: &Transport{Source: src}}).Get(api.URL)
			var got string
			var ise *InsufficientScopeError
			switch {
			case errors.As(err, &ise):
				got = scopeErr
				if d := cmp.Diff([]string{tc.descr, fmt.Sprint(tc.scope)}, []string{ise.Description, fmt.Sprint(ise.Scope)}); d != "" {
					t.Errorf("description and scope (-want +got):\n%s", d)
				}
			case err != nil:
				t.Fatal(err)
			case res.StatusCode == http.StatusOK:
				res.Body.Close()
				got = replayed
			default:
				res.Body.Close()
				got = asIs
			}
			if got != tc.want {
				t.Errorf("outcome %q after %d requests and %d refreshes, want %q", got, requests.Load(), refreshes.Load(), tc.want)
			}
			if want := map[string]int32{scopeErr: 1, replayed: 2, asIs: 1}[tc.want]; requests.Load() != want {
				t.Errorf("API requests = %d, want %d", requests.Load(), want)
			}
		})
	}
}

// FuzzWWWAuthenticate checks the parser against a reference parse, an
// independent rendering of the same grammar: both must find the same
// challenges, or both a malformed field, and neither may panic. Lines of
// the field are split at '\n'.
func FuzzWWWAuthenticate(f *testing.F) {
	for _, tc := range wwwAuthCases {
		f.Add(strings.Join(tc.lines, "\n"))
	}
	f.Fuzz(func(t *testing.T, field string) {
		lines := strings.Split(field, "\n")
		got, err := parseWWWAuthenticate(lines)
		ref, ok := refParseWWWAuthenticate(strings.Join(lines, ", "))
		if ok != (err == nil) {
			t.Fatalf("parse %q: err %v, but the reference says ok=%v (%+v)", lines, err, ok, ref)
		}
		if d := cmp.Diff(ref, got, challengeCmp...); d != "" {
			t.Fatalf("parse %q (-reference +got):\n%s", lines, d)
		}
		parseChallenge(lines)
	})
}
