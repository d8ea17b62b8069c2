package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// countLoads counts a store's reads.
type countLoads struct {
	auth.Store
	loads, updates atomic.Int64
}

func (c *countLoads) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	c.loads.Add(1)
	return c.Store.Load(ctx, key)
}

func (c *countLoads) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	c.updates.Add(1)
	return c.Store.Update(ctx, key, f)
}

// BenchCachedToken measures Token() on a source that holds a token valid
// for an hour, from GOMAXPROCS goroutines at once: made WithStore(st), or
// with no store when st is nil. It fails if the store was read while
// timing.
func BenchCachedToken(b *testing.B, st auth.Store) {
	ctx := context.Background()
	p := startProvider(b, time.Hour)
	cfg := p.config()
	tok := p.authorize(b)
	var src oauth2.TokenSource
	var counted *countLoads
	if st == nil {
		src = cfg.TokenSource(ctx, tok)
	} else {
		key := fmt.Sprintf("bench-%x", rand.Uint64())
		if err := st.Save(ctx, key, tok); err != nil {
			b.Fatal(err)
		}
		counted = &countLoads{Store: st}
		src = cfg.TokenSource(ctx, nil, auth.WithStore(counted, key))
	}
	if _, err := src.Token(); err != nil { // loads the stored token
		b.Fatal(err)
	}
	var loads, updates int64
	if counted != nil {
		loads, updates = counted.loads.Load(), counted.updates.Load()
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.Token(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if counted != nil && (counted.loads.Load() != loads || counted.updates.Load() != updates) {
		b.Fatalf("the store was read on the hot path: %d loads, %d updates", counted.loads.Load()-loads, counted.updates.Load()-updates)
	}
	if n := p.Stats().Refreshes; n != 1 { // the one of authorize
		b.Fatalf("%d refreshes while timing", n-1)
	}
}

// BenchRefresh measures one refresh through the store's protocol: lock,
// read, a refresh at the DLive fake over loopback HTTP, save, unlock. With
// st nil, the refresh alone, for comparison.
func BenchRefresh(b *testing.B, st auth.Store) {
	ctx := context.Background()
	p := startProvider(b, time.Hour)
	cfg := p.config()
	tok := p.authorize(b)
	var src oauth2.TokenSource
	if st == nil {
		src = cfg.TokenSource(ctx, tok)
	} else {
		key := fmt.Sprintf("bench-%x", rand.Uint64())
		if err := st.Save(ctx, key, tok); err != nil {
			b.Fatal(err)
		}
		src = cfg.TokenSource(ctx, nil, auth.WithStore(st, key))
	}
	inv := src.(interface{ Invalidate(*oauth2.Token) })
	cur, err := src.Token()
	if err != nil {
		b.Fatal(err)
	}
	before := p.Stats().Refreshes
	b.ResetTimer()
	for range b.N {
		inv.Invalidate(cur)
		next, err := src.Token()
		if err != nil {
			b.Fatal(err)
		}
		cur = next
	}
	b.StopTimer()
	if n := p.Stats().Refreshes - before; n != b.N {
		b.Fatalf("%d refreshes for %d iterations", n, b.N)
	}
}

// BenchUpdate measures the store's share of a refresh: Update that reads
// the token and writes a new one, durably, under the key's lock.
func BenchUpdate(b *testing.B, st auth.Store) {
	ctx := context.Background()
	key := fmt.Sprintf("bench-%x", rand.Uint64())
	tok := &oauth2.Token{AccessToken: "access", RefreshToken: "refresh", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour), ExpiresIn: 3600}
	if err := st.Save(ctx, key, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		_, err := st.Update(ctx, key, func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
			next := *cur
			next.AccessToken = fmt.Sprint("access-", i)
			return &next, nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchExpiry measures the worst wait of 64 sources of one key, each
// made WithStore(st), called at once after their token has expired: one
// refreshes, the others wait for the lock or see the new token. It runs
// five rounds whatever b.N is and reports the worst wait ("worst-ms");
// ns/op is not meaningful.
func BenchExpiry(b *testing.B, st auth.Store) {
	ctx := context.Background()
	p := startProvider(b, time.Second)
	cfg := p.config()
	key := fmt.Sprintf("bench-%x", rand.Uint64())
	var worst time.Duration
	for range 5 {
		tok := p.authorize(b)
		if err := st.Save(ctx, key, tok); err != nil {
			b.Fatal(err)
		}
		sources := make([]oauth2.TokenSource, 64)
		for i := range sources {
			sources[i] = cfg.TokenSource(ctx, nil, auth.WithStore(st, key))
			if _, err := sources[i].Token(); err != nil {
				b.Fatal(err)
			}
		}
		time.Sleep(time.Until(tok.Expiry) + 10*time.Millisecond)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, src := range sources {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				if _, err := src.Token(); err != nil {
					b.Error(err)
				}
				mu.Lock()
				worst = max(worst, time.Since(start))
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	if errs := p.Stats().Errors; len(errs) > 0 {
		b.Fatalf("provider errors %v", errs)
	}
	b.ReportMetric(float64(worst)/float64(time.Millisecond), "worst-ms")
	b.ReportMetric(0, "ns/op")
}
