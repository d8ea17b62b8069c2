// Package postgres opens an auth/sqlstore Store in a PostgreSQL database,
// with pgx's database/sql driver: the store for replicas on several
// machines.
//
// Each refresh holds a transaction-scoped advisory lock on its key, so
// refreshes of one user are serialised across every replica while those
// of different users run in parallel; a replica that dies or loses its
// connection releases its locks with its transaction.
package postgres

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	"github.com/onair-go/onair/auth/sqlstore"
)

// Open connects to the database that dsn names (a postgres:// URL or
// key=value pairs, as pgx reads them) and returns its store, with its
// table created or migrated.
func Open(ctx context.Context, dsn string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN, password included.
		return nil, fmt.Errorf("postgres: the DSN does not parse")
	}
	// database/sql keeps 2 idle connections by default; when a token
	// expires, every source of it reads at once, and opening a server
	// process per read costs more than the read.
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	st, err := sqlstore.Open(ctx, db, sqlstore.Postgres, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	return st, nil
}
