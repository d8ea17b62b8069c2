package livestorm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// A Pacer decides when requests may start so that those of every Client
// sharing its budget stay within a rate limit: several processes or
// machines that call Livestorm with one user's access token, whose limit
// of 5 requests a second Livestorm counts across all of them.
// auth/sqlstore's Store.Pacer is one, kept in the store's database.
//
// Clients without WithPacer pace themselves alone, which is enough when
// one Client per process uses a token.
type Pacer interface {
	// Pace waits until a request may start without more than limit
	// requests in any window, and returns done, which the caller calls
	// once the request has its answer or has failed. The window of a
	// request ends a window after done, not after Pace returned: Livestorm
	// counts a request when it arrives, some time between the two, so
	// counting from done keeps within the limit whatever the network's
	// delay. Pace returns an error, and no done, when ctx ends first or
	// the budget cannot be read; one matching context.DeadlineExceeded
	// before ctx ends makes the call's error match ErrPacingDeadline too.
	Pace(ctx context.Context, limit int, window time.Duration) (done func(), err error)
}

// WithPacer paces the client's requests with p instead of by itself: give
// the Clients of every process that uses one user's token a Pacer over the
// same budget, such as an auth/sqlstore Store's Pacer for the key the
// token is stored under. WithoutPacing, if given after, turns pacing off.
func WithPacer(p Pacer) Option {
	return Option{func(c *apiclient.Config) {
		if p == nil {
			c.OptionErr = errors.New("WithPacer(nil): pass a Pacer, or leave WithPacer out for the Client's own pacing")
			return
		}
		c.Wrap = func(rt http.RoundTripper) http.RoundTripper { return &sharedPacer{base: rt, p: p} }
	}}
}

// sharedPacer is the RoundTripper of WithPacer.
type sharedPacer struct {
	base http.RoundTripper
	p    Pacer
}

func (s *sharedPacer) RoundTrip(req *http.Request) (*http.Response, error) {
	done, err := s.p.Pace(req.Context(), rateLimit, rateWindow+paceSlack)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		if errors.Is(err, context.DeadlineExceeded) && req.Context().Err() == nil {
			// The pacer knew the budget could not start the call in time.
			return nil, fmt.Errorf("pacing: %w: %w", ErrPacingDeadline, err)
		}
		return nil, fmt.Errorf("pacing: %w", err)
	}
	// The answer's headers are in when RoundTrip returns; its body does
	// not count.
	defer done()
	return s.base.RoundTrip(req)
}
