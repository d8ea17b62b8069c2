package auth

import (
	"context"
	"maps"
	"slices"
)

// Keys returns the keys that hold a token, in no particular order.
func (m *MemoryStore) Keys(ctx context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Collect(maps.Keys(m.recs)), nil
}
