package redact

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	// maxDecodings bounds how many decodings are stacked on one another.
	maxDecodings = 4
	// maxBase64Depth is the deepest view whose base64 runs are decoded:
	// base64 under one or two layers of escapes, not base64 of base64.
	maxBase64Depth = 2
	// minBase64Secret is the shortest known value looked for in decoded
	// base64: shorter ones turn up by chance in the bytes that every
	// word of plain text decodes to.
	minBase64Secret = 4
)

// span is a part of the original text to replace by Mark.
type span struct{ lo, hi int }

// finder collects the spans of the original text that hold secrets.
type finder struct {
	set    *Set
	orig   string
	wide   *wide  // orig is UTF-16
	shown  int    // how much of orig to show, if no span goes on past it
	spans  []span // parameters' values
	values []span // known values
}

// scan finds secrets in v and in each decoding of it.
func (f *finder) scan(v *view, depth int, inBase64 bool) {
	f.known(v, inBase64)
	f.named(v)
	if depth == maxDecodings {
		return
	}
	if u := unescape(v); u != nil {
		f.scan(u, depth+1, inBase64)
	}
	if !inBase64 && depth <= maxBase64Depth {
		if b := base64Runs(v); b != nil {
			// What base64 hides is escaped once at most (a form-encoded
			// Basic credential); the bytes every other run decodes to
			// are noise not worth decoding further.
			f.scan(b, maxDecodings-1, true)
		}
	}
}

// known finds the values of the Set, and in the original text their
// escapings too.
func (f *finder) known(v *view, inBase64 bool) {
	if f.set == nil {
		return
	}
	f.all(v, f.set.values, inBase64)
	switch {
	case v.segs == nil:
		f.all(v, f.set.forms, false)
	case !inBase64:
		f.stolen(v)
	default:
		// What base64 hides may be escaped once (a form-encoded Basic
		// credential), and decoding that escape can go out of step when
		// the bytes before it look like an escape too, so the escapings
		// are looked for as written.
		f.all(v, f.set.forms, true)
		// The base64 digits that hold a value's first and last bytes
		// hold bits of their neighbours too; the digits between spell
		// the rest of the value, and show it as much as the whole does.
		for _, vals := range [][]string{f.set.values, f.set.forms} {
			for _, val := range vals {
				if len(val)-2 >= minBase64Secret {
					f.all(v, []string{val[1 : len(val)-1]}, true)
				}
			}
		}
	}
}

// maxSteal is the most characters an escape can take from what follows
// it: &#x and eight hex digits.
const maxSteal = 8

// stolen finds values whose first characters, written as they are, an
// escape-like text before them took into an escape when v was decoded
// ("%0" then "0a…" reads as "%00" then "a…"): the escape's last characters
// in the original and, right after it in v, the rest of the value.
func (f *finder) stolen(v *view) {
	for k, s := range v.segs {
		if s.step > 0 {
			continue
		}
		next := len(v.text)
		if k+1 < len(v.segs) {
			next = v.segs[k+1].at
		}
		for _, val := range f.set.values {
			for j := 1; j <= maxSteal && j < len(val) && j < s.hi-s.lo; j++ {
				if strings.HasPrefix(v.text[next:], val[j:]) && f.orig[s.hi-j:s.hi] == val[:j] {
					_, hi := v.orig(next, next+len(val)-j)
					f.values = append(f.values, span{s.hi - j, hi})
				}
			}
		}
	}
}

// all finds every one of values in v.
func (f *finder) all(v *view, values []string, inBase64 bool) {
	for _, val := range values {
		if inBase64 && len(val) < minBase64Secret {
			continue
		}
		for i := 0; ; {
			j := strings.Index(v.text[i:], val)
			if j < 0 {
				break
			}
			lo, hi := v.orig(i+j, i+j+len(val))
			f.values = append(f.values, span{lo, hi})
			i += j + len(val)
		}
	}
}

// add records the original bytes behind v's bytes [a, b), a parameter's
// value.
func (f *finder) add(v *view, a, b int) {
	if a >= b {
		return
	}
	lo, hi := v.orig(a, b)
	f.spans = append(f.spans, span{lo, hi})
}

// redacted returns the original text with the spans found replaced by
// Mark. A span inside a Mark already there is dropped, as is a known
// value that a Mark's characters spell part of; any other span that
// overlaps a Mark grows to cover it. So redacting twice changes nothing.
//
// When the text was cut, of length n, what follows f.shown (or a span
// that goes on past it) is left out and said to be.
func (f *finder) redacted(n int) string {
	if len(f.spans) == 0 && len(f.values) == 0 && f.shown == n {
		return f.orig
	}
	mark := Mark
	if f.wide != nil {
		mark = f.wide.encode(Mark)
	}
	found := marks(f.orig, Mark)
	if f.wide != nil {
		found = append(found, marks(f.orig, mark)...)
		slices.SortFunc(found, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	}
	spans := f.spans[:0]
	for _, s := range f.spans {
		if s, ok := f.fit(found, s); ok {
			spans = append(spans, s)
		}
	}
	for _, s := range f.values {
		if f.partlyMark(found, s) {
			continue
		}
		if s, ok := f.fit(found, s); ok {
			spans = append(spans, s)
		}
	}
	if len(spans) == 0 && f.shown == n {
		return f.orig
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	shown := f.shown
	if f.wide != nil && shown < n {
		shown -= (shown - f.wide.start) % 2
	}
	for shown < n && shown > 0 && !utf8.RuneStart(f.orig[shown]) && f.wide == nil {
		shown-- // cut between characters
	}
	var b strings.Builder
	b.Grow(shown)
	last := 0
	for k := 0; k < len(spans) && spans[k].lo < shown; {
		cur := spans[k]
		for k++; k < len(spans) && spans[k].lo <= cur.hi; k++ {
			cur.hi = max(cur.hi, spans[k].hi)
		}
		b.WriteString(f.orig[last:cur.lo])
		if f.wide != nil && !f.wide.aligned(cur, n) {
			// A text taken for UTF-16 wrongly: the bytes say what it is.
			b.WriteString(Mark)
		} else {
			b.WriteString(mark)
		}
		last = cur.hi
	}
	if last < shown {
		b.WriteString(f.orig[last:shown])
		last = shown
	}
	if last < n {
		note := fmt.Sprintf("…[%d bytes not shown]", n-last)
		if f.wide != nil {
			note = f.wide.encode(note)
		}
		b.WriteString(note)
	}
	return b.String()
}

// fit returns s fitted to the Marks found in the original text: dropped
// if it lies inside one, grown to cover any it overlaps.
func (f *finder) fit(found []span, s span) (span, bool) {
	if m, ok := markAt(found, s.lo); ok && s.hi <= m.hi {
		return s, false
	}
	if f.wide != nil {
		s = f.wide.align(f.orig, s)
	}
	if m, ok := markAt(found, s.lo); ok {
		if s.hi <= m.hi {
			return s, false
		}
		s.lo = m.lo
	}
	if m, ok := markAt(found, s.hi-1); ok {
		s.hi = m.hi
	}
	return s, true
}

// partlyMark reports whether characters of a Mark, not just the NULs of
// one in UTF-16, spell the start or the end of the value found at s:
// "0000000[" in "0000000[redacted]". The text outside the Mark shows only
// part of the value then: a reader sees "[redacted]" as one thing.
// Were the span to grow over the Mark, a second pass would find the value
// again in the text before the new Mark, and Text would not be idempotent.
func (f *finder) partlyMark(found []span, s span) bool {
	if m, ok := markAt(found, s.lo); ok && strings.Trim(f.orig[s.lo:m.hi], "\x00") != "" {
		return true
	}
	if m, ok := markAt(found, s.hi-1); ok && strings.Trim(f.orig[m.lo:s.hi], "\x00") != "" {
		return true
	}
	return false
}

// marks returns where mark occurs in text, in order.
func marks(text, mark string) []span {
	var m []span
	for i := 0; ; {
		j := strings.Index(text[i:], mark)
		if j < 0 {
			return m
		}
		m = append(m, span{i + j, i + j + len(mark)})
		i += j + len(mark)
	}
}

// markAt returns the Mark of marks that holds byte i, if one does.
func markAt(marks []span, i int) (span, bool) {
	k, _ := slices.BinarySearchFunc(marks, i, func(m span, i int) int {
		switch {
		case m.hi <= i:
			return -1
		case m.lo > i:
			return 1
		}
		return 0
	})
	if k < len(marks) && marks[k].lo <= i && i < marks[k].hi {
		return marks[k], true
	}
	return span{}, false
}
