package auth

// SetRecord writes raw as key's record, for tests of records a
// MemoryStore did not write.
func (m *MemoryStore) SetRecord(key string, raw []byte) {
	m.mu.Lock()
	m.recs[key] = raw
	m.mu.Unlock()
}
