package sqlstore

import "time"

// Migrations replaces the schema's migrations, for tests of migrating.
func Migrations(d Dialect, table string, extra ...string) Option {
	return func(s *Store) { s.migrations = append(migrations(d, table), extra...) }
}

// SchemaVersion keeps the schema's first n migrations: a store of an
// older version of this package.
func SchemaVersion(d Dialect, table string, n int) Option {
	return func(s *Store) { s.migrations = migrations(d, table)[:n] }
}

// LatestSchema is the version Open migrates a database to.
var LatestSchema = len(migrations(SQLite, "t"))

// SetDedupClock sets d's clock ahead by skew. Call it while no Claim or
// Release runs.
func SetDedupClock(d *Dedup, skew time.Duration) { d.skew = skew.Microseconds() }

const (
	SweepEvery = sweepEvery
	SweepBatch = sweepBatch
)
