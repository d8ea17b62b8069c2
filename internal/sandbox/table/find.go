package table

// Find returns a copy of the oldest record keep accepts. keep is as
// List's.
func (t *Table[T]) Find(keep func(T) bool) (T, bool) {
	for _, k := range t.keys {
		if v := t.rows[k]; keep(v) {
			return t.Get(k)
		}
	}
	var zero T
	return zero, false
}
