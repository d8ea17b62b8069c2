// Package table is the in-memory store under the provider fakes: a
// record table that keeps insertion order and hands out copies, the
// page cutters of the list styles the providers use, and a middleware
// that runs one request at a time against a fake's store.
package table

import (
	"slices"
	"strings"

	"github.com/onair-go/onair/internal/sandbox"
)

// Table holds records by key, in the order they were first put. It stores
// and hands out deep copies (sandbox.Clone), so that no answer still being
// encoded shares memory with the store.
//
// A Table does no locking of its own: a fake's tables are used under one
// lock held for a whole request (see Serialize), as a request reads and
// writes several together. A lock in each table would make every call
// dearer and hide a fake that forgot the request lock from the race
// detector.
//
// A record that belongs to another has the key Child(parent, id), which
// Children lists and DeleteChildren deletes.
//
// The zero Table is empty and ready to use.
type Table[T any] struct {
	keys []string
	rows map[string]T
}

// Child is the key of the record id that belongs to parent.
func Child(parent, id string) string { return parent + "/" + id }

// Put stores a copy of v under key: in place when the key is taken, else
// last.
func (t *Table[T]) Put(key string, v T) {
	if t.rows == nil {
		t.rows = map[string]T{}
	}
	if _, ok := t.rows[key]; !ok {
		t.keys = append(t.keys, key)
	}
	t.rows[key] = sandbox.Clone(v)
}

// Get returns a copy of the record under key.
func (t *Table[T]) Get(key string) (T, bool) {
	v, ok := t.rows[key]
	return sandbox.Clone(v), ok
}

// View calls read with the record under key, if there is one, without
// copying it, and reports whether there was: for a hot read of a field or
// two. read must neither keep nor change the record.
func (t *Table[T]) View(key string, read func(T)) bool {
	v, ok := t.rows[key]
	if ok {
		read(v)
	}
	return ok
}

// Has reports whether a record is under key.
func (t *Table[T]) Has(key string) bool {
	_, ok := t.rows[key]
	return ok
}

// Delete deletes the record under key and reports whether there was one.
func (t *Table[T]) Delete(key string) bool {
	return t.DeleteFunc(func(k string, _ T) bool { return k == key }) > 0
}

// DeleteFunc deletes the records drop accepts and returns how many.
// drop sees the stored records and must change neither them nor t.
func (t *Table[T]) DeleteFunc(drop func(key string, v T) bool) int {
	n := len(t.keys)
	t.keys = slices.DeleteFunc(t.keys, func(k string) bool {
		if !drop(k, t.rows[k]) {
			return false
		}
		delete(t.rows, k)
		return true
	})
	return n - len(t.keys)
}

// DeleteChildren deletes the records that belong to parent.
func (t *Table[T]) DeleteChildren(parent string) {
	t.DeleteFunc(func(k string, _ T) bool { return strings.HasPrefix(k, Child(parent, "")) })
}

// List returns copies of the records keep accepts (all for a nil keep),
// oldest first; never nil, as an empty list is [] in JSON. keep sees the
// stored records and must change neither them nor t.
func (t *Table[T]) List(keep func(T) bool) []T {
	return t.list(func(_ string, v T) bool { return keep == nil || keep(v) })
}

// Children returns copies of the records that belong to parent, oldest
// first; never nil.
func (t *Table[T]) Children(parent string) []T {
	return t.list(func(k string, _ T) bool { return strings.HasPrefix(k, Child(parent, "")) })
}

func (t *Table[T]) list(keep func(string, T) bool) []T {
	out := []T{}
	for _, k := range t.keys {
		if v := t.rows[k]; keep(k, v) {
			out = append(out, sandbox.Clone(v))
		}
	}
	return out
}

// Keys returns the keys of the records keep accepts, oldest first,
// copying no record. keep is as List's.
func (t *Table[T]) Keys(keep func(T) bool) []string {
	var out []string
	for _, k := range t.keys {
		if keep(t.rows[k]) {
			out = append(out, k)
		}
	}
	return out
}

// Deref returns *p, or the zero value for nil: an optional field read as
// its default.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

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

// PutAll puts each of rows under its key, in order: for seeding a table
// from a list.
func (t *Table[T]) PutAll(rows []T, key func(T) string) {
	for _, v := range rows {
		t.Put(key(v), v)
	}
}
