package sqlstore

// Migrations replaces the schema's migrations, for tests of migrating.
func Migrations(d Dialect, table string, extra ...string) Option {
	return func(s *Store) { s.migrations = append(migrations(d, table), extra...) }
}
