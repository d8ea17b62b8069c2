package livestorm

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
)

func TestRateLimits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header http.Header
		want   []onair.RateLimit
	}{
		{"both windows", http.Header{
			"Ratelimit-Interval-Limit": {"5"}, "Ratelimit-Interval-Remaining": {"4"},
			"Ratelimit-Monthly-Limit": {"10000"}, "Ratelimit-Monthly-Remaining": {"9874"}, "Ratelimit-Reset": {"1719792000"},
		}, []onair.RateLimit{
			{Window: "second", Limit: 5, Remaining: 4},
			{Window: "month", Limit: 10000, Remaining: 9874, Reset: time.Unix(1719792000, 0)},
		}},
		{"none", http.Header{}, nil},
		{"junk limit", http.Header{"Ratelimit-Interval-Limit": {"five"}, "Ratelimit-Interval-Remaining": {"4"},
			"Ratelimit-Monthly-Limit": {"10"}, "Ratelimit-Monthly-Remaining": {"0"}}, []onair.RateLimit{
			{Window: "month", Limit: 10, Remaining: 0},
		}},
		{"no remaining count", http.Header{"Ratelimit-Interval-Limit": {"5"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, rateLimits(tc.header)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
