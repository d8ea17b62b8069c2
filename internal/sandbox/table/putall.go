package table

// PutAll puts each of rows under its key, in order: for seeding a table
// from a list.
func (t *Table[T]) PutAll(rows []T, key func(T) string) {
	for _, v := range rows {
		t.Put(key(v), v)
	}
}
