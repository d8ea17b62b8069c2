package dlive_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/dlive"
)

// failingAfter hands out its token twice, then fails, as a source whose
// token expired during the call and whose refresh failed does.
type failingAfter struct {
	n   atomic.Int32
	tok *oauth2.Token
}

func (s *failingAfter) Token() (*oauth2.Token, error) {
	if s.n.Add(1) > 2 {
		return nil, errors.New("refresh failed")
	}
	return s.tok, nil
}

// A GraphQL error that quotes the token a request carried reaches no
// error text nor field, in a 2xx answer as in a 400, whatever the token
// source does after the request.
func TestErrorsQuoteNoSentToken(t *testing.T) {
	const secret = "SECRETTOKEN12345"
	for _, status := range []int{200, 400} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"data":null,"errors":[{"message":"token %s is expired"}]}`, r.Header.Get("Authorization"))
		}))
		tok := (&oauth2.Token{AccessToken: secret}).WithExtra(map[string]any{"scope": "identity"})
		c, err := dlive.NewClient(&failingAfter{tok: tok}, dlive.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Users.Me(context.Background())
		srv.Close()
		var de *dlive.Error
		if !errors.As(err, &de) {
			t.Fatalf("HTTP %d: err = %v, want a *dlive.Error", status, err)
		}
		if all := fmt.Sprintf("%v %+v %+v", err, de, de.APIError); strings.Contains(all, secret) {
			t.Errorf("HTTP %d: the token reached the error: %s", status, all)
		}
	}
}

// onair.WithQuery reaches a GraphQL request as it does a REST one.
func TestWithQueryReachesTheRequest(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":{"me":{"username":"u","displayname":"d"}}}`))
	}))
	defer srv.Close()
	tok := (&oauth2.Token{AccessToken: "t"}).WithExtra(map[string]any{"scope": "identity"})
	c, _ := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	c.Users.Me(context.Background(), onair.WithQuery("trace", "1"))
	if q := <-got; q != "trace=1" {
		t.Errorf("Users.Me(WithQuery(trace, 1)) sent query %q", q)
	}
}
