package auth_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkRefresher measures a pass over 500 due DLive users against the
// fake over loopback HTTP, with Concurrency 8: users refreshed per second.
// SQLite's file is in memory (tmpfs) where there is one, so that the
// number is the Refresher's and the store's locking, not the disk's.
func BenchmarkRefresher(b *testing.B) {
	const users = 500
	for _, tc := range []struct {
		name string
		open func(b *testing.B) auth.Store
	}{
		{"memory", func(*testing.B) auth.Store { return auth.NewMemoryStore() }},
		{"sqlite", func(b *testing.B) auth.Store {
			st, err := sqlite.Open(context.Background(), filepath.Join(memoryDir(b), "tokens.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			f := startCountingFake(b)
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				st := tc.open(b)
				seedUsers(b, f, st, users, func(int) time.Time { return time.Now() })
				r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, Concurrency: 8}
				b.StartTimer()
				rep, err := r.RefreshDue(ctx)
				if err != nil || len(rep.Refreshed) != users {
					b.Fatalf("refreshed %d of %d: %v %v", len(rep.Refreshed), users, err, rep.Failed)
				}
			}
			b.ReportMetric(float64(users*b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}
