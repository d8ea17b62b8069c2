package table

// Find returns a copy of the record under key, or missing when there is
// none: the fake's not-found answer, which the operation returns as is.
func Find[T any](t *Table[T], key string, missing error) (T, error) {
	v, ok := t.Get(key)
	if !ok {
		return v, missing
	}
	return v, nil
}

// Update changes a copy of the record under key with change and stores
// it, unless change fails; it returns the record as stored, or missing
// when there is none. A failed change leaves the store as it was, so that
// change may check the request as it goes.
func Update[T any](t *Table[T], key string, missing error, change func(*T) error) (T, error) {
	v, err := Find(t, key, missing)
	if err == nil {
		err = change(&v)
	}
	if err == nil {
		t.Put(key, v)
	}
	return v, err
}

// First returns a copy of the oldest record keep accepts. keep is as
// List's.
func (t *Table[T]) First(keep func(T) bool) (T, bool) {
	for _, k := range t.keys {
		if v := t.rows[k]; keep(v) {
			return t.Get(k)
		}
	}
	var zero T
	return zero, false
}
