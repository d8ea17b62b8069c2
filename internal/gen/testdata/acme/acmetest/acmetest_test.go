package acmetest_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/gen/testdata/acme"
	"github.com/onair-go/onair/internal/gen/testdata/acme/acmetest"
	"github.com/onair-go/onair/scopes"
)

// newClient returns a client of srv whose token the sandbox issued for
// scope.
func newClient(t *testing.T, srv *acmetest.Server, scope []scopes.Acme, opts ...acme.Option) *acme.Client {
	t.Helper()
	tok := srv.IssueToken(scope...)
	c, err := acme.NewClient(oauth2.StaticTokenSource(tok), append([]acme.Option{acme.WithBaseURL(srv.URL)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The generated client, scope constants and sandbox work together: a
// token from the authorization-code flow for channels:write creates a
// channel, and gets it back, since channels:write implies channels:read.
func TestCreateAndGet(t *testing.T) {
	ctx := context.Background()
	srv := acmetest.NewServer()
	defer srv.Close()

	cfg := srv.Config(scopes.AcmeChannelsWrite)
	authURL, err := cfg.AuthCodeURL(rand.Text())
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.Approve(ctx, authURL)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	client, err := acme.NewClient(cfg.TokenSource(ctx, tok), acme.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}

	created, err := client.Channels.Create(ctx, acme.CreateChannelRequest{Name: "Evening show"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.Channels.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get returned another channel than Create (-created +got):\n%s", diff)
	}
	if got.Name != "Evening show" {
		t.Errorf("Name = %q, want the one sent", got.Name)
	}
}

// A client told which scopes its token has refuses an operation they do
// not cover before any request; without being told, the sandbox refuses
// it with 403 in Acme's error body.
func TestScopeChecks(t *testing.T) {
	ctx := context.Background()
	srv := acmetest.NewServer()
	defer srv.Close()
	read := []scopes.Acme{scopes.AcmeChannelsRead}

	told := newClient(t, srv, read, acme.WithGrantedScopes(read...))
	_, err := told.Channels.Create(ctx, acme.CreateChannelRequest{Name: "x"})
	if !errors.Is(err, scopes.ErrNotGranted) {
		t.Fatalf("Create with channels:read granted: err = %v, want one matching scopes.ErrNotGranted", err)
	}
	if n := srv.Calls(acme.OpChannelsCreate); n != 0 {
		t.Fatalf("the refused Create reached the sandbox %d times", n)
	}

	untold := newClient(t, srv, read)
	_, err = untold.Channels.Create(ctx, acme.CreateChannelRequest{Name: "x"})
	var ae *acme.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusForbidden {
		t.Fatalf("Create with a channels:read token: err = %v, want an *acme.Error with status 403", err)
	}
	if n := srv.Calls(acme.OpChannelsCreate); n != 1 {
		t.Fatalf("Create reached the sandbox %d times, want 1", n)
	}
}

// List walks the page-number pages the spec declares until meta.next is
// null: the seeded 120 channels in order, in three requests of 50.
func TestListPages(t *testing.T) {
	ctx := context.Background()
	srv := acmetest.NewServer()
	defer srv.Close()
	client := newClient(t, srv, []scopes.Acme{scopes.AcmeChannelsRead})

	var got, want []string
	for ch, err := range client.Channels.List(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ch.ID)
	}
	for i := range 120 {
		want = append(want, "ch_"+strconv.Itoa(i+1))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if n := srv.Calls(acme.OpChannelsList); n != 3 {
		t.Errorf("List made %d requests, want 3 pages of 50", n)
	}
}
