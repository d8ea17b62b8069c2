package livestorm

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

type startRecorder struct {
	mu     sync.Mutex
	starts []time.Time
}

func (r *startRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.starts = append(r.starts, time.Now())
	r.mu.Unlock()
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
}

// Twelve concurrent calls start no more than five in any second, so a
// burst draws no 429 from Livestorm.
func TestPacerKeepsFiveASecond(t *testing.T) {
	rec := &startRecorder{}
	p := &pacer{base: rec, now: time.Now}
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, "https://api.livestorm.co/v1/events", nil)
			if _, err := p.RoundTrip(req); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s := rec.starts
	sort.Slice(s, func(i, j int) bool { return s[i].Before(s[j]) })
	if len(s) != 12 {
		t.Fatalf("%d requests started, want 12", len(s))
	}
	for i := rateLimit; i < len(s); i++ {
		if gap := s[i].Sub(s[i-rateLimit]); gap < rateWindow {
			t.Errorf("requests %d and %d started %v apart: six within a second", i-rateLimit, i, gap)
		}
	}
	// The first five go at once: pacing must not slow a small burst.
	if gap := s[rateLimit-1].Sub(s[0]); gap > rateWindow/2 {
		t.Errorf("the first five spread over %v", gap)
	}
}

func TestPacerGivesUpWithTheContext(t *testing.T) {
	p := &pacer{base: &startRecorder{}, now: time.Now}
	for range rateLimit {
		req, _ := http.NewRequest(http.MethodGet, "https://api.livestorm.co/v1/ping", nil)
		p.RoundTrip(req)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.livestorm.co/v1/ping", nil)
	if _, err := p.RoundTrip(req); err == nil {
		t.Fatal("a sixth request with a cancelled context was sent")
	}
}

func TestWithoutPacing(t *testing.T) {
	var cfg apiclient.Config
	configure(&cfg)
	if cfg.Wrap == nil {
		t.Fatal("configure set no pacer")
	}
	WithoutPacing().apply(&cfg)
	if cfg.Wrap != nil {
		t.Error("WithoutPacing left the pacer in place")
	}
}
