package redact

import (
	"cmp"
	"slices"
	"strings"
)

// Holds reports whether text holds one of the values added to s outside
// the Marks already in it, in any encoding Text finds values in: whether
// Text would remove a known value from it. The values of secret-named
// parameters do not count. Like Text, it reads the first MaxText bytes
// only; a caller with a longer text checks it in overlapping parts.
func (s *Set) Holds(text string) bool {
	if s == nil || len(s.values) == 0 {
		return false
	}
	f := finder{set: s, orig: text, shown: len(text)}
	if len(text) > MaxText {
		f.orig, f.shown = text[:MaxText], MaxText
	}
	f.scan(&view{text: f.orig}, 0, false)
	if w, ok := wideOf(f.orig); ok {
		f.wide = &w
		f.scan(w.view(f.orig), 0, false)
	}
	if strings.IndexByte(f.orig, 0) >= 0 {
		f.scan(withoutNULs(f.orig), 0, false)
	}
	found := marks(f.orig, Mark)
	if f.wide != nil {
		found = append(found, marks(f.orig, f.wide.encode(Mark))...)
		slices.SortFunc(found, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	}
	for _, sp := range f.values {
		if f.partlyMark(found, sp) {
			continue
		}
		if _, ok := f.fit(found, sp); ok {
			return true
		}
	}
	return false
}
