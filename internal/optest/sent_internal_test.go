package optest

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
)

// errRecorder is a testing.TB that keeps Errorf calls instead of failing.
type errRecorder struct {
	testing.TB
	errs []string
}

func (r *errRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// The iterator sets the page and size parameters the spec declares for the
// style, whatever they are called, so sent does not hold them to their
// examples; every other query parameter it does.
func TestSentLeavesDeclaredPagingParams(t *testing.T) {
	spec, err := apispec.Load(t.Context(), "../apispec/testdata/paged.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range spec.Ops {
		if o.ID != "listClips" { // page and per, examples 0 and 10
			continue
		}
		params := append(spec.Doc.Paths.Value(o.Path).Parameters, o.Op.Parameters...)
		for _, tc := range []struct {
			query string
			errs  int
		}{
			{"page=1&per=50", 0},
		} {
			q, _ := url.ParseQuery(tc.query)
			rec := &errRecorder{TB: t}
			sent(rec, o, params, sandbox.Call{Method: o.Method, Path: o.Path, Query: q})
			if len(rec.errs) != tc.errs {
				t.Errorf("%s sent with %s: %d errors, want %d: %q", o.ID, tc.query, len(rec.errs), tc.errs, rec.errs)
			}
		}
		return
	}
	t.Fatal("paged.yaml has no listClips")
}
