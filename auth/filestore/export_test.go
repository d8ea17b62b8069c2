package filestore

// RecordPath is the file of key's record.
func RecordPath(s *Store, key string) string { return s.path(key) }
