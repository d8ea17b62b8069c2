package livestorm_test

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"golang.org/x/oauth2"
)

// Before a fix: the shared pacer's done writes the slot back synchronously, in
// the call, with its own 30-second budget: while another process holds
// SQLite's write lock (a refresh under Update, a long transaction), a call
// with a 500 ms deadline that already has its answer waits seconds more.
func TestSharedPacerDoneDoesNotHoldTheCall(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "tokens.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lock := &onRequest{base: http.DefaultTransport}
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.LivestormIdentityRead)),
		livestorm.WithBaseURL(srv.URL), livestorm.WithPacer(st.Pacer("user")), livestorm.WithHTTPClient(&http.Client{Transport: lock}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Identity.Ping(context.Background()); err != nil { // creates the table
		t.Fatal(err)
	}
	// Another process takes SQLite's write lock while the next request is
	// out, and keeps it 3 s.
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	lock.f = func() {
		if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
			t.Error(err)
			return
		}
	}
	// The lock is held until the call has returned; before the fix, the
	// call waited for it as long as the slot's write allows (30 s).
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	returned := make(chan error, 1)
	go func() { returned <- c.Identity.Ping(ctx) }()
	select {
	case <-returned:
	case <-time.After(20 * time.Second):
		t.Fatal("a call that had its answer still waits for the database's write lock")
	}
}

// onRequest runs f, once, as a request goes out.
type onRequest struct {
	base http.RoundTripper
	f    func()
}

func (o *onRequest) RoundTrip(r *http.Request) (*http.Response, error) {
	if f := o.f; f != nil {
		o.f = nil
		f()
	}
	return o.base.RoundTrip(r)
}
