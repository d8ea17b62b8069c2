package authserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// consentFake is a fake that shows its consent page.
func consentFake(t *testing.T) *Fake {
	t.Helper()
	f := startFor(formDialect())
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
		"onair test app", "formco", "Approve", "Deny",
		"<code>events:read</code> Read your events",
		"<code>webhooks:write</code> Manage your webhooks",
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

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// clockedFake is a consentFake whose clock moves only when told.
func clockedFake(t *testing.T) (*Fake, *fakeClock) {
	f := consentFake(t)
	c := &fakeClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	f.Server.now = c.now
	return f, c
}

// openPage opens a consent page by calling the handler, as a browser that
// never answers would, and returns its request id.
func openPage(t *testing.T, f *Fake) string {
	t.Helper()
	q := url.Values{"client_id": {f.Client.ID}, "redirect_uri": {cb}, "response_type": {"code"}, "scope": {"events:read"}, "state": {"st"}}
	rec := httptest.NewRecorder()
	f.Server.Authorize(rec, httptest.NewRequest(http.MethodGet, "/oauth/authorize?"+q.Encode(), nil))
	m := requestField.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("no consent page: %d\n%s", rec.Code, rec.Body)
	}
	return m[1]
}

func pendingCount(f *Fake) int {
	f.Server.mu.Lock()
	defer f.Server.mu.Unlock()
	return f.Server.pending.len()
}

// checkExpiredAnswer answers the consent page of request id with each
// decision and checks that both are refused with a page that says the
// request expired and to start again, and that no code was issued.
func checkExpiredAnswer(t *testing.T, f *Fake, id string) {
	t.Helper()
	for _, decision := range []string{"approve", "deny"} {
		res, err := noFollow.PostForm(f.Endpoint.AuthURL, url.Values{"request": {id}, "decision": {decision}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
			t.Errorf("%s on an expired page: status %d, Location %q; want 400 and no redirect", decision, res.StatusCode, res.Header.Get("Location"))
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s on an expired page: Content-Type %q, Content-Security-Policy %q", decision, ct, res.Header.Get("Content-Security-Policy"))
		}
		for _, want := range []string{"has expired", "Start the login again"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s on an expired page: the page does not say %q:\n%s", decision, want, body)
			}
		}
	}
	f.Server.mu.Lock()
	codes := len(f.Server.codes)
	f.Server.mu.Unlock()
	if codes != 0 {
		t.Errorf("%d codes issued for expired pages", codes)
	}
}

// TestConsentPagesExpire checks that a consent page nobody answers is
// forgotten once its time is up, and that its answer is then refused.
func TestConsentPagesExpire(t *testing.T) {
	f, clock := clockedFake(t)
	var old []string
	for range 50 {
		old = append(old, openPage(t, f))
		clock.advance(time.Second)
	}
	clock.advance(consentTTL - 30*time.Second) // the first 20 have expired
	fresh := openPage(t, f)
	if n := pendingCount(f); n != 31 {
		t.Errorf("%d consent pages pending, want the 30 opened less than %s ago and the new one", n, consentTTL)
	}
	clock.advance(time.Minute) // all 50 expired
	fresher := openPage(t, f)
	if n := pendingCount(f); n != 2 {
		t.Errorf("%d consent pages pending after all but 2 expired", n)
	}
	checkExpiredAnswer(t, f, old[0])
	checkExpiredAnswer(t, f, old[len(old)-1])

	// A page answered within its time still works.
	for _, id := range []string{fresh, fresher} {
		if res := decideOn(t, f, id, "approve"); res.StatusCode != http.StatusFound {
			t.Errorf("approving a page within its time: status %d, want 302", res.StatusCode)
		}
	}
	if n := pendingCount(f); n != 0 {
		t.Errorf("%d consent pages pending after the last two were answered", n)
	}
}

// TestConsentPagesBounded opens many more consent pages than the server
// keeps, none of which expires: the server keeps the newest maxPending,
// refuses the answers of those it dropped, and takes the others'.
func TestConsentPagesBounded(t *testing.T) {
	f, _ := clockedFake(t)
	var ids []string
	for range 3 * maxPending {
		ids = append(ids, openPage(t, f))
	}
	if n := pendingCount(f); n != maxPending {
		t.Errorf("%d consent pages pending after %d were opened, want at most %d", n, len(ids), maxPending)
	}
	checkExpiredAnswer(t, f, ids[0])
	checkExpiredAnswer(t, f, ids[len(ids)-maxPending-1])
	for _, id := range []string{ids[len(ids)-maxPending], ids[len(ids)-1]} {
		if res := decideOn(t, f, id, "approve"); res.StatusCode != http.StatusFound {
			t.Errorf("approving one of the newest pages: status %d, want 302", res.StatusCode)
		}
	}
	if n := pendingCount(f); n != maxPending-2 {
		t.Errorf("%d consent pages pending after two of %d were answered", n, maxPending)
	}
}
