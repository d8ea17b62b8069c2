package redact

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// A hostile text of any size costs a bounded amount of memory: Text reads
// its first MaxText bytes only. TotalAlloc counts every byte allocated,
// whatever the collector does meanwhile; the bound is generous.
func TestTextMemoryBounded(t *testing.T) {
	const n = 16 << 20
	var s Set
	s.Add("CLIENT-SECRET-abc123/xyz+Q=", "AT.k9/Qz+Wm4=Rt7pLx2", "RT.u3/Fb+Nc8=Yh1sKd6")
	for _, unit := range []string{"%4CLI", "%41%42%43%44", "Bearer a ", "token=a ", "&#x41;", `\u0041`, "QUJD", "a\x00b\x00"} {
		text := strings.Repeat(unit, n/len(unit))
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out := s.Text(text)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("Text of %d bytes of %q allocated %d MiB", n, unit, alloc>>20)
		}
		if shown := len(strings.ReplaceAll(out, Mark, "")); shown > MaxText+100 {
			t.Errorf("Text of %d bytes of %q showed %d of them", n, unit, shown)
		}
		body := string(s.Body([]byte(`{"a":"` + text + `"}`)))
		if shown := len(strings.ReplaceAll(body, Mark, "")); shown > MaxText+100 {
			t.Errorf("Body of %d bytes of %q showed %d of them", n, unit, shown)
		}
	}
}

var notShown = regexp.MustCompile(`…\[\d+ bytes not shown\]$`)

// What Text does not read it does not return, and it says how much it
// left out; nothing of a secret near the cut shows.
func TestTextCut(t *testing.T) {
	const tok = "AT.k9/Qz+Wm4=Rt7pLx2"
	var s Set
	s.Add(tok)
	for _, at := range []int{MaxText - maxTextMargin - 5, MaxText - maxTextMargin, MaxText - 2000, MaxText - 10, MaxText - 5, MaxText, MaxText + 5, 3 * MaxText} {
		for _, form := range []string{tok, "access_token=unknown-value-1234567", escapeAll(`\u%04x`)(tok)} {
			text := strings.Repeat(".", at) + form + strings.Repeat("y", 100)
			out := s.Text(text)
			if len(text) > MaxText && !notShown.MatchString(out) {
				t.Errorf("%d bytes, %q at %d: Text ends %q, with no note of the cut", len(text), form[:8], at, out[max(0, len(out)-40):])
			}
			if len(text) > MaxText && at >= MaxText-maxTextMargin {
				want := fmt.Sprintf("…[%d bytes not shown]", len(text)-MaxText+maxTextMargin)
				if !strings.HasSuffix(out, want) {
					t.Errorf("%d bytes, %q at %d: Text ends %q, want %q", len(text), form[:8], at, out[max(0, len(out)-40):], want)
				}
			}
			for _, part := range []string{tok[:6], "unknown-", escapeAll(`\u%04x`)(tok)[:24]} {
				if strings.Contains(out, part) {
					t.Errorf("%q at %d: Text shows %q", form[:8], at, part)
				}
			}
			if again := s.Text(out); again != out {
				t.Errorf("%q at %d: Text is not idempotent", form[:8], at)
			}
		}
	}
}
