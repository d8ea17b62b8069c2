package storetest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/auth/sqlstore/postgres"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/internal/pgtest"
	"github.com/onair-go/onair/internal/storetest"
)

var (
	server   *pgtest.Server
	startErr error
)

func TestMain(m *testing.M) {
	if !storetest.IsChild() {
		server, startErr = pgtest.Start()
		if startErr != nil && !errors.Is(startErr, pgtest.ErrNoPostgres) {
			fmt.Fprintln(os.Stderr, startErr)
			os.Exit(1)
		}
	}
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

// TestMultiProcess runs the 40-second multi-process test of every store
// at once, so that together they take 40 seconds.
func TestMultiProcess(t *testing.T) {
	pg := storetest.Harness{
		Location: func(t *testing.T) string {
			return server.Database(t, func(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) })
		},
		Open: func(ctx context.Context, dsn string) (auth.Store, error) { return postgres.Open(ctx, dsn) },
	}
	if !storetest.IsChild() && server == nil {
		pg.Skip = startErr.Error()
	}
	storetest.MultiProcess(t, map[string]storetest.Harness{
		"file": {
			Location: func(t *testing.T) string { return t.TempDir() },
			Open:     func(_ context.Context, dir string) (auth.Store, error) { return filestore.Open(dir) },
		},
		"sqlite": {
			Location: func(t *testing.T) string { return filepath.Join(t.TempDir(), "tokens.db") },
			Open:     func(ctx context.Context, path string) (auth.Store, error) { return sqlite.Open(ctx, path) },
		},
		"postgres": pg,
	})
}
