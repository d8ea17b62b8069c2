package authserver

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livestorm"
)

// consentFake is a Livestorm fake that shows its consent page.
func consentFake(t *testing.T) *Fake {
	t.Helper()
	f := Start(Livestorm(), livestorm.Endpoint, cb)
	f.SetAutoApprove(false)
	t.Cleanup(f.Close)
	return f
}

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// page opens the consent page and returns its body and request id.
func page(t *testing.T, f *Fake) (*http.Response, string, string) {
	t.Helper()
	q := url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb}, "response_type": {"code"},
		"scope": {"events:read webhooks:write"}, "state": {"st-1"}}
	res, err := noFollow.Get(f.Endpoint.AuthURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := requestField.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no request id on the page:\n%s", b)
	}
	return res, string(b), m[1]
}

func decideOn(t *testing.T, f *Fake, request, decision string) *http.Response {
	t.Helper()
	res, err := noFollow.PostForm(f.Endpoint.AuthURL, url.Values{"request": {request}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestConsentPage(t *testing.T) {
	f := consentFake(t)
	res, body, _ := page(t, f)
	got := map[string]string{}
	for _, h := range []string{"Content-Type", "Referrer-Policy", "Cache-Control", "X-Frame-Options"} {
		got[h] = res.Header.Get(h)
	}
	want := map[string]string{"Content-Type": "text/html; charset=utf-8", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Frame-Options": "DENY"}
	if d := cmp.Diff(want, got); d != "" || res.StatusCode != http.StatusOK {
		t.Errorf("status %d, headers (-want +got):\n%s", res.StatusCode, d)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q lets the page load content", csp)
	}
	for _, want := range []string{
		"onair test app", "livestorm", "Approve", "Deny",
		"<code>events:read</code> Read events, sessions and participants",
		"<code>webhooks:write</code> Read and write webhook subscriptions",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	// No third-party content: nothing is loaded from anywhere.
	for _, bad := range []string{"<script", "<link", "<img", "src=", "href=", "@import", "url("} {
		if strings.Contains(body, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}

func TestConsentDecisions(t *testing.T) {
	for _, tc := range []struct {
		decision string
		want     url.Values // the callback's query, code aside
		code     bool
	}{
		{"approve", url.Values{"state": {"st-1"}}, true},
		{"deny", url.Values{"state": {"st-1"}, "error": {"access_denied"}, "error_description": {"the user denied access"}}, false},
	} {
		t.Run(tc.decision, func(t *testing.T) {
			f := consentFake(t)
			_, _, id := page(t, f)
			res := decideOn(t, f, id, tc.decision)
			if res.StatusCode != http.StatusFound {
				t.Fatalf("status %d, want 302", res.StatusCode)
			}
			loc, _ := url.Parse(res.Header.Get("Location"))
			q := loc.Query()
			code := q.Get("code")
			q.Del("code")
			if d := cmp.Diff(tc.want, q); d != "" || (code != "") != tc.code || !strings.HasPrefix(loc.String(), cb) {
				t.Errorf("redirect %s (-want +got):\n%s", loc, d)
			}
			if tc.code {
				a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb},
					"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
				if a.status != 200 || a.body["scope"] != "events:read webhooks:write" {
					t.Errorf("exchanging the approved code: %d %v", a.status, a.body)
				}
			}
		})
	}
}

func TestConsentRefusesStaleAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, f *Fake) *http.Response
	}{
		{"answered twice", func(t *testing.T, f *Fake) *http.Response {
			_, _, id := page(t, f)
			decideOn(t, f, id, "approve")
			return decideOn(t, f, id, "approve")
		}},
		{"unknown request", func(t *testing.T, f *Fake) *http.Response { return decideOn(t, f, "forged", "approve") }},
		{"neither approve nor deny", func(t *testing.T, f *Fake) *http.Response {
			_, _, id := page(t, f)
			return decideOn(t, f, id, "maybe")
		}},
		{"expired", func(t *testing.T, f *Fake) *http.Response {
			_, _, id := page(t, f)
			f.Server.now = func() time.Time { return time.Now().Add(consentTTL + time.Minute) }
			return decideOn(t, f, id, "approve")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := consentFake(t)
			if res := tc.run(t, f); res.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", res.StatusCode)
			}
		})
	}
}
