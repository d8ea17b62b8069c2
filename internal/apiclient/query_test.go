package apiclient

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type role string

func TestQuery(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		explode bool
		value   any
		want    url.Values
	}{
		{"text", true, "a b&c", url.Values{"text": {"a b&c"}}},
		{"role", true, role("host"), url.Values{"role": {"host"}}},
		{"on", true, false, url.Values{"on": {"false"}}},
		{"n", true, 42, url.Values{"n": {"42"}}},
		{"d", true, 1.5, url.Values{"d": {"1.5"}}},
		{"f", true, float32(0.1), url.Values{"f": {"0.1"}}},
		{"at", true, at, url.Values{"at": {"2026-12-04T10:00:00Z"}}},
		{"ids", true, []string{"a", "b"}, url.Values{"ids": {"a", "b"}}},
		{"include", false, []role{"sessions", "tags"}, url.Values{"include": {"sessions,tags"}}},
	} {
		got, err := Query(nil, "form", tc.explode, tc.name, tc.value)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	if _, err := Query(nil, "deepObject", true, "x", "y"); !errors.Is(err, ErrBadArgument) {
		t.Errorf("deepObject: %v, want ErrBadArgument", err)
	}
	if _, err := Query(nil, "form", true, "x", map[string]int{}); !errors.Is(err, ErrBadArgument) {
		t.Errorf("a map: %v, want ErrBadArgument", err)
	}
}
