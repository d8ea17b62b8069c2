package livepush_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livepush"
)

// A redirect to a host outside the client's hosts never carries the
// token: not to another port of the same address, over plain http, where
// Go's client would copy a header the request carried.
func TestRedirectElsewhereGetsNoToken(t *testing.T) {
	got := make(chan string, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Authorization")
		w.Write([]byte(`{"id":"s1"}`))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer api.Close()
	tok := (&oauth2.Token{AccessToken: "SECRET-TOKEN"}).WithExtra(map[string]any{"scope": "streams.read"})
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(api.URL))
	if err != nil {
		t.Fatal(err)
	}
	c.Streams.Get(context.Background(), "s1")
	if a := <-got; a != "" {
		t.Errorf("the other host got Authorization %q", a)
	}
}
