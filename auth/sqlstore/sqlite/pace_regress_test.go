package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
)

// Before a fix: a Pacer whose first Pace had a context that was already done
// (a cancelled request, a deadline spent elsewhere) keeps that error for
// ever: sync.Once caches it, so every later call of the process fails.
func TestPacerRecoversFromCancelledFirstCall(t *testing.T) {
	st := open(t)
	p := st.Pacer("user")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Pace(ctx, 5, time.Second); err == nil {
		t.Fatal("Pace with a cancelled context: no error")
	}
	done, err := p.Pace(context.Background(), 5, time.Second)
	if err != nil {
		t.Fatalf("Pace after one cancelled call: %v; want a start (the table can still be created)", err)
	}
	done()
}

// Before a fix: a slot given back is free at a time of the clock that read it
// (for SQLite, the system's wall clock). When the clock steps back (NTP,
// a VM resumed), a slot freed "a window after done" is free an hour in
// the future by the new clock, and nextFree caps only taken slots at
// now+window: every call waits the hour (or fails at once with a
// deadline), though a window from now is always late enough, done being
// in the past.
func TestPacerSurvivesClockStepBack(t *testing.T) {
	p, db := pacedOnce(t, 1)
	// What the row holds if the clock stepped back an hour after done.
	if _, err := db.Exec("UPDATE onair_tokens_pace SET free_at = free_at + ?", time.Hour.Microseconds()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done, err := p.Pace(ctx, 1, time.Second)
	if err != nil {
		t.Fatalf("Pace a clock step after a done: %v; want a start within a window", err)
	}
	done()
}

// Before a fix: Store.Pacer's doc says dropping the _pace table "while no
// process paces loses nothing"; a Pacer that created it once never
// creates it again (sync.Once), so every later Pace of a running
// process fails until it restarts.
func TestPacerAfterTableDropped(t *testing.T) {
	p, db := pacedOnce(t, 5)
	if _, err := db.Exec("DROP TABLE onair_tokens_pace"); err != nil {
		t.Fatal(err)
	}
	done, err := p.Pace(context.Background(), 5, time.Second)
	if err != nil {
		t.Fatalf("Pace after the table was dropped between calls: %v", err)
	}
	done()
}

// pacedOnce returns a Pacer of a new store that has paced one call
// (limit a second) and given its slot back, and the store's file opened
// on its own, as another process would.
func pacedOnce(t *testing.T, limit int) (*sqlstore.Pacer, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tokens.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := st.Pacer("user")
	done, err := p.Pace(context.Background(), limit, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	done()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	waitGivenBack(t, db)
	return p, db
}

// waitGivenBack waits until every slot is given back: done writes it in
// the background.
func waitGivenBack(t *testing.T, db *sql.DB) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var claims int
		err := db.QueryRow("SELECT count(*) FROM onair_tokens_pace WHERE claim != ''").Scan(&claims)
		if err == nil && claims == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slots were not given back: %v", err)
		}
	}
}
