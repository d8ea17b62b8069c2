package oneline_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/oneline"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		limit    int
		want     string
	}{
		{"short", "bad request", 20, "bad request"},
		{"runs of space and control", "a \t\n\r\x1b[2J b\x00\x7f c", 20, "a [2J b c"},
		{"invalid bytes", "a\xff\xfeb", 20, "a b"},
		{"bidi and zero width", "a\u202eb\u200bc", 20, "a b c"},
		{"cut with an ellipsis", "abcdefghij", 8, "abcde…"},
		{"cut before a wide rune", "abcd日本語", 8, "abcd…"},
		{"exactly the limit", "abcdefgh", 8, "abcdefgh"},
		{"a space at the cut", "abcd efgh ij", 8, "abcd…"},
		{"leading and trailing space", "  a  ", 20, "a"},
		{"UTF-16LE with a BOM", "\xff\xfeo\x00k\x00", 20, "ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := oneline.Cut(tc.in, tc.limit)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Cut(%q, %d) (-want +got):\n%s", tc.in, tc.limit, d)
			}
			if len(got) > tc.limit || !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r\t") {
				t.Errorf("Cut(%q, %d) = %q: not one valid line within the limit", tc.in, tc.limit, got)
			}
			if again := oneline.Cut(got, tc.limit); again != got {
				t.Errorf("Cut is not idempotent: %q, then %q", got, again)
			}
		})
	}
}
