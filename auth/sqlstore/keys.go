package sqlstore

import (
	"context"
	"fmt"
)

// Keys returns every key that holds a row, unreadable ones too, in no
// particular order. It takes no lock.
func (s *Store) Keys(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT key FROM %s", s.table))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing keys: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("sqlstore: listing keys: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: listing keys: %w", err)
	}
	return keys, nil
}
