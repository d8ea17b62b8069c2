package authserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// What a client or a dialect names reaches the consent page as text: a
// hostile app name or scope description adds no markup to the page.
func TestConsentPageEscapes(t *testing.T) {
	const hostile = `"><script>alert(1)</script><b x='`
	d := formDialect()
	d.Describe = func(string) string { return hostile }
	s := New(d, Client{ID: "c", Secret: "s", Name: hostile, RedirectURIs: []string{cb}})
	q := url.Values{"client_id": {"c"}, "redirect_uri": {cb}, "response_type": {"code"}, "scope": {"events:read"}, "state": {hostile}}
	rec := httptest.NewRecorder()
	s.Authorize(rec, httptest.NewRequest(http.MethodGet, "/oauth/authorize?"+q.Encode(), nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `id="app"`) {
		t.Fatalf("no consent page: %d\n%s", rec.Code, body)
	}
	for _, bad := range []string{"<script", "<b x", `"><`} {
		if strings.Contains(body, bad) {
			t.Errorf("the page carries %q unescaped:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("the page does not show the app name as text:\n%s", body)
	}
}
