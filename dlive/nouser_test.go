package dlive_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
)

// An application token has no user: Me fails with ErrNoUser rather than
// returning nothing.
func TestMeWithAppToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":{"me":null}}`)
	}))
	defer srv.Close()
	tok := (&oauth2.Token{AccessToken: "app", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "identity"})
	c, err := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	me, err := c.Me(context.Background())
	if !errors.Is(err, dlive.ErrNoUser) || me != nil {
		t.Fatalf("Me = %v, %v; want ErrNoUser", me, err)
	}
}
