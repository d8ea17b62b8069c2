package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/onair-go/onair/auth/sqlstore"
)

// Before a fix: the shared pacer opens its transaction with the call's context
// stripped of its cancellation (beginPostgres: BeginTx(WithoutCancel)), so
// a call whose context ends while the pool has no free connection (an
// app's SetMaxOpenConns, the database unreachable) keeps waiting long past
// its deadline instead of failing.
func TestPaceHonoursContextWhenPoolIsBusy(t *testing.T) {
	db, err := sql.Open("pgx", database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	p := st.Pacer("user")
	done, err := p.Pace(context.Background(), 5, time.Second) // creates the table
	if err != nil {
		t.Fatal(err)
	}
	done()
	conn, err := db.Conn(context.Background()) // the app holds the pool's one connection
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close() // held until Pace has returned
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	returned := make(chan error, 1)
	go func() {
		_, err := p.Pace(ctx, 5, time.Second)
		returned <- err
	}()
	select {
	case err := <-returned:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Pace with no connection to be had: %v; want its context's DeadlineExceeded", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Pace waits for a connection past its context's deadline")
	}
}
