package auth

import "golang.org/x/oauth2"

// SetRecord writes raw as key's record, for tests of records a
// MemoryStore did not write.
func (m *MemoryStore) SetRecord(key string, raw []byte) {
	m.mu.Lock()
	m.recs[key] = raw
	m.mu.Unlock()
}

// SaveWithoutLock stores tok as a process that ignores the key's lock
// would.
func (m *MemoryStore) SaveWithoutLock(key string, tok *oauth2.Token) error {
	return m.save(key, tok)
}
