package otelonair_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/otelonair"
)

// Neither the query, which may carry secrets, nor the token in the
// request's header reaches a span or a metric: url.full is the URL
// without its query.
func TestNoSecretRecorded(t *testing.T) {
	const token, secret = "tok-a1b2c3d4e5f6", "s3cret-q9w8e7r6"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("signature") != secret || r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "the request lacks the secrets the test sends", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"st_a1b2c3d4e5f6g"}`)
	}))
	defer srv.Close()
	tl := newTelemetry(t)
	tok := (&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL), livepush.WithHooks(otelonair.Hooks(tl.opts...)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Streams.Get(t.Context(), "st_a1b2c3d4e5f6g", onair.WithQuery("signature", secret)); err != nil {
		t.Fatal(err)
	}

	_, full := tl.ended()
	if got, want := full["GET /streams/{streamId}"][0]["url.full"], srv.URL+"/streams/st_a1b2c3d4e5f6g"; got != want {
		t.Errorf("url.full %v, want %s", got, want)
	}
	recorded := fmt.Sprint(full, tl.metrics(t))
	for _, s := range []string{token, secret} {
		if strings.Contains(recorded, s) {
			t.Errorf("%q was recorded: %s", s, recorded)
		}
	}
}
