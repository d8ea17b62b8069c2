package redact

import (
	"sort"
	"strings"
)

// A view is the original text or a decoding of it. Every byte of a view
// knows which bytes of the original it came from, so that a secret found
// in a decoding is removed from the original.
type view struct {
	text string
	segs []seg // nil for the original itself
}

// seg maps the view's bytes from at up to the next seg's at (or the end)
// to the original. When step > 0, byte at+i stands for the step original
// bytes from lo+step*i: step 1 is a copy, step 2 an ASCII character of
// UTF-16. When step is 0, each of them stands for all of [lo, hi), an
// escape or a base64 run.
type seg struct {
	at     int
	lo, hi int
	step   int
}

// orig returns the original bytes behind the view's bytes [a, b), b > a.
func (v *view) orig(a, b int) (lo, hi int) {
	if v.segs == nil {
		return a, b
	}
	lo, _ = v.origByte(a)
	_, hi = v.origByte(b - 1)
	return lo, hi
}

func (v *view) origByte(i int) (lo, hi int) {
	k := sort.Search(len(v.segs), func(k int) bool { return v.segs[k].at > i }) - 1
	s := v.segs[k]
	if s.step > 0 {
		lo = s.lo + s.step*(i-s.at)
		return lo, lo + s.step
	}
	return s.lo, s.hi
}

// builder writes a view decoded from parent.
type builder struct {
	parent *view
	out    strings.Builder
	segs   []seg
	next   int // the parent seg copy starts looking at
}

// copy appends the parent's bytes [p, q) unchanged; calls come in order.
func (b *builder) copy(p, q int) {
	if p >= q {
		return
	}
	ps := b.parent.segs
	if ps == nil {
		b.run(p, 1)
		b.out.WriteString(b.parent.text[p:q])
		return
	}
	for i := p; i < q; {
		for b.next+1 < len(ps) && ps[b.next+1].at <= i {
			b.next++
		}
		s := ps[b.next]
		end := len(b.parent.text)
		if b.next+1 < len(ps) {
			end = ps[b.next+1].at
		}
		end = min(end, q)
		if s.step > 0 {
			b.run(s.lo+s.step*(i-s.at), s.step)
		} else {
			b.whole(s.lo, s.hi)
		}
		b.out.WriteString(b.parent.text[i:end])
		i = end
	}
}

// decoded appends bytes that stand for the parent's bytes [p, q) as a
// whole.
func (b *builder) decoded(p, q int, s string) {
	lo, hi := b.parent.orig(p, q)
	b.whole(lo, hi)
	b.out.WriteString(s)
}

// run starts, unless the last one goes on, a seg of bytes that stand for
// step original bytes each, from lo.
func (b *builder) run(lo, step int) {
	at := b.out.Len()
	if n := len(b.segs); n > 0 {
		if l := b.segs[n-1]; l.step == step && l.lo+step*(at-l.at) == lo {
			return
		}
	}
	b.segs = append(b.segs, seg{at: at, lo: lo, step: step})
}

// whole starts, unless the last one is the same, a seg of bytes that
// stand for the original's [lo, hi).
func (b *builder) whole(lo, hi int) {
	if n := len(b.segs); n > 0 {
		if l := b.segs[n-1]; l.step == 0 && l.lo == lo && l.hi == hi {
			return
		}
	}
	b.segs = append(b.segs, seg{at: b.out.Len(), lo: lo, hi: hi})
}

func (b *builder) view() *view {
	return &view{text: b.out.String(), segs: b.segs}
}
