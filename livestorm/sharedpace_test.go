package livestorm_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// recordingPacer lets every request start, noting what it was asked and
// what the sandbox had received when done was called.
type recordingPacer struct {
	srv    *livestormtest.Server
	events []string
	limit  int
	window time.Duration
	fail   error
}

func (p *recordingPacer) Pace(ctx context.Context, limit int, window time.Duration) (func(), error) {
	if p.fail != nil {
		return nil, p.fail
	}
	p.limit, p.window = limit, window
	p.events = append(p.events, "pace")
	var once atomic.Bool
	return func() {
		if once.Swap(true) {
			p.events = append(p.events, "done again")
			return
		}
		p.events = append(p.events, "done")
		if p.srv.Calls(livestorm.OpIdentityPing) == 0 {
			p.events = append(p.events, "done before the request")
		}
	}, nil
}

// WithPacer asks the pacer before every request, retries included, for
// Livestorm's 5 a second, and calls done once the answer is in.
func TestWithPacer(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	if err := srv.FailOperation(livestorm.OpIdentityPing, 503, 1); err != nil {
		t.Fatal(err)
	}
	p := &recordingPacer{srv: srv}
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.LivestormIdentityRead)),
		livestorm.WithBaseURL(srv.URL), livestorm.WithPacer(p))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Identity.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"pace", "done", "pace", "done"}, p.events); d != "" {
		t.Errorf("pacer events (-want +got):\n%s", d)
	}
	if p.limit != 5 || p.window < time.Second {
		t.Errorf("paced at %d a %v; want 5 a second or a little more", p.limit, p.window)
	}
}

// A pacer that cannot pace fails the call without a request; one that
// cannot before the deadline fails it with ErrPacingDeadline.
func TestWithPacerFailing(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		cause    error
		deadline bool
	}{
		{errors.New("the budget's database is down"), false},
		{fmt.Errorf("no start free before the deadline: %w", context.DeadlineExceeded), true},
	} {
		c, err := livestorm.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.LivestormIdentityRead)),
			livestorm.WithBaseURL(srv.URL), livestorm.WithPacer(&recordingPacer{srv: srv, fail: tc.cause}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err = c.Identity.Ping(ctx, onair.WithMaxRetries(2))
		cancel()
		if !errors.Is(err, tc.cause) {
			t.Errorf("err = %v; want the pacer's", err)
		}
		if got := errors.Is(err, livestorm.ErrPacingDeadline); got != tc.deadline {
			t.Errorf("errors.Is(%v, ErrPacingDeadline) = %v; want %v", err, got, tc.deadline)
		}
	}
	if n := srv.Calls(livestorm.OpIdentityPing); n != 0 {
		t.Errorf("the sandbox received %d requests; want none", n)
	}
}
