package storetest_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/postgres"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/internal/storetest"
)

// paceStores are the SQL stores whose Pacer the tests check.
func paceStores() map[string]storetest.PaceHarness {
	pg := storetest.PaceHarness{
		Location: func(t *testing.T) string {
			return server.Database(t, func(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) })
		},
		Open: func(ctx context.Context, dsn string) (*sqlstore.Store, error) { return postgres.Open(ctx, dsn) },
	}
	if !storetest.IsChild() && server == nil {
		pg.Skip = startErr.Error()
	}
	return map[string]storetest.PaceHarness{
		"sqlite": {
			Location: func(t *testing.T) string { return filepath.Join(t.TempDir(), "tokens.db") },
			Open:     func(ctx context.Context, path string) (*sqlstore.Store, error) { return sqlite.Open(ctx, path) },
		},
		"postgres": pg,
	}
}

func TestPacer(t *testing.T) {
	if storetest.IsChild() {
		t.Skip("a child process")
	}
	for name, h := range paceStores() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			storetest.Pacer(t, h)
		})
	}
}

// TestSharedPace is issue 12's test of Livestorm's limit shared across
// processes, for each SQL store at once.
func TestSharedPace(t *testing.T) { storetest.SharedPace(t, paceStores()) }
