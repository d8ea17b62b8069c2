package livestorm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// Replicas that call Livestorm for one user share the user's 5 requests a
// second through the store that keeps the user's token: each gives its
// Client the store's Pacer for the key the token is stored under. With
// PostgreSQL (auth/sqlstore/postgres), the replicas may be on several
// machines; with SQLite, on one.
func ExampleWithPacer() {
	ctx := context.Background()
	srv := livestormtest.NewServer()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "onair-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "tokens.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	const key = "livestorm/user-42"
	// Done once, when the user authorizes; here the sandbox issues the token.
	if err := st.Save(ctx, key, srv.IssueToken(scopes.LivestormIdentityRead)); err != nil {
		log.Fatal(err)
	}

	// In every replica:
	cfg := srv.Config(scopes.LivestormIdentityRead)
	c, err := livestorm.NewClient(cfg.TokenSource(ctx, nil, auth.WithStore(st, key)),
		livestorm.WithPacer(st.Pacer(key)),
		livestorm.WithBaseURL(srv.URL)) // leave out outside the sandbox
	if err != nil {
		log.Fatal(err)
	}
	for range 7 { // the 6th and 7th wait for the budget: no 429, and no retry to hide one
		if err := c.Identity.Ping(ctx, onair.WithMaxRetries(0)); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("7 calls, no 429")
	// Output: 7 calls, no 429
}

// A spent monthly quota fails calls at once, with when it resets, instead
// of sleeping on a Retry-After of days.
func ExampleQuotaError() {
	ctx := context.Background()
	srv := livestormtest.NewServer(livestormtest.WithMonthlyQuota(1))
	defer srv.Close()
	c, err := livestorm.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivestormIdentityRead)),
		livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		err = c.Identity.Ping(ctx)
	}
	var qe *livestorm.QuotaError
	if errors.As(err, &qe) {
		fmt.Println("quota spent; resets on day", qe.Reset.UTC().Day(), "of a month")
	}
	fmt.Println(errors.Is(err, livestorm.ErrQuotaExhausted))
	// Output:
	// quota spent; resets on day 1 of a month
	// true
}
