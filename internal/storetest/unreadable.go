package storetest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// Corrupt overwrites the record of key with raw, as the store keeps it: a
// file's bytes, a column's value.
type Corrupt func(t *testing.T, key string, raw []byte)

// unreadable are records no store can read. Each holds "secret", which no
// error may quote.
var unreadable = []struct{ name, raw string }{
	{"garbage", "secret-looking garbage"},
	{"empty", ""},
	{"JSON null", "null"},
	{"empty object", "{}"},
	{"cut short", `{"v":1,"access_token":"secret-at","refre`},
	{"newer version", `{"v":99,"access_token":"secret-at"}`},
	{"no token", `{"v":1,"token_type":"secret"}`},
	{"wrong types", `{"v":"1","access_token":["secret"]}`},
	{"binary", "\x00\xff\xfesecret\x80"},
}

// Unreadable runs the tests of records a store holds and cannot read,
// against stores from open, each new and empty, and the Corrupt that
// writes into it. Load and Update report such a record with an error
// wrapping auth.ErrUnreadable, Update without calling f or writing; Save
// replaces it and Delete removes it, so that one bad record never blocks
// its key; and a source made WithStore says what to do.
func Unreadable(t *testing.T, open func(t *testing.T) (auth.Store, Corrupt)) {
	ctx := context.Background()
	for _, tc := range unreadable {
		t.Run(tc.name, func(t *testing.T) {
			st, corrupt := open(t)
			mustSave(t, st, "other", "other")
			mustSave(t, st, "k", "good")
			corrupt(t, "k", []byte(tc.raw))

			check := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, auth.ErrUnreadable) || errors.Is(err, auth.ErrNotFound) {
					t.Errorf("%s: err = %v, want one wrapping auth.ErrUnreadable", what, err)
				} else if strings.Contains(err.Error(), "secret") {
					t.Errorf("%s: the error quotes the record: %v", what, err)
				}
			}
			_, err := st.Load(ctx, "k")
			check("Load", err)
			called := false
			_, err = st.Update(ctx, "k", func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
				called = true
				return &oauth2.Token{AccessToken: "from-update"}, nil
			})
			check("Update", err)
			if called {
				t.Error("Update called f over a record it could not read")
			}
			_, err = st.Load(ctx, "k")
			check("Load after the refused Update", err)
			if got := mustLoad(t, st, "other").AccessToken; got != "other" {
				t.Errorf("another key: %q, want other", got)
			}

			src := unusedConfig(t).TokenSource(ctx, nil, auth.WithStore(st, "k"))
			_, err = src.Token()
			check("a source's first token", err)
			if err != nil && !strings.Contains(err.Error(), "Save") {
				t.Errorf("a source's first token: %q does not say to Save a new token", err)
			}

			if err := st.Save(ctx, "k", &oauth2.Token{AccessToken: "saved", RefreshToken: "rt"}); err != nil {
				t.Fatalf("Save over the record: %v", err)
			}
			if got := mustLoad(t, st, "k").AccessToken; got != "saved" {
				t.Errorf("after Save: %q, want saved", got)
			}
			got, err := st.Update(ctx, "k", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
				return &oauth2.Token{AccessToken: cur.AccessToken + "+1"}, nil
			})
			if err != nil || got.AccessToken != "saved+1" {
				t.Errorf("Update after Save: %v, %v; want saved+1", got, err)
			}

			corrupt(t, "k", []byte(tc.raw))
			if err := st.Delete(ctx, "k"); err != nil {
				t.Fatalf("Delete of the record: %v", err)
			}
			if _, err := st.Load(ctx, "k"); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("after Delete: err = %v, want auth.ErrNotFound", err)
			}
		})
	}
}

// unusedConfig is a DLive client whose token endpoint fails the test if
// called: a source over an unreadable record has nothing to refresh.
func unusedConfig(t *testing.T) *auth.Config[scopes.DLive] {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the token endpoint was called: %s %s", r.Method, r.URL.Path)
		http.Error(w, "unexpected", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	ep := dlive.Endpoint
	ep.AuthURL, ep.TokenURL = srv.URL+"/authorize", srv.URL+"/token"
	return configFor(ep, "client", "client-secret")
}
