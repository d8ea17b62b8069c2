// Package storetest holds the tests that every auth.Store must pass: Run,
// a conformance suite in one process; MultiProcess, several processes
// sharing one store against a DLive fake with single-use refresh tokens
// (every store at once: this package's own test runs it for the file
// store, SQLite and PostgreSQL); and Kill, processes killed while they
// refresh. Bench* are the stores' benchmarks.
//
// The multi-process tests re-execute the test binary: a test that calls
// them must be a top-level test whose name the child process can select
// with -test.run, and a TestMain that does more than m.Run must let a
// child (IsChild) through untouched.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/tokenrec"
)

// Run runs the conformance tests against stores from open, each new and
// empty (or at least without the keys the tests use).
func Run(t *testing.T, open func(t *testing.T) auth.Store) {
	ctx := context.Background()
	t.Run("LoadMissing", func(t *testing.T) {
		st := open(t)
		_, err := st.Load(ctx, "nobody")
		if !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("Load of a missing key: err = %v, want auth.ErrNotFound", err)
		}
	})
	t.Run("RoundTrip", func(t *testing.T) {
		st := open(t)
		exp := time.Date(2026, 11, 22, 15, 4, 5, 123456789, time.FixedZone("X", 3600))
		for _, tc := range []struct {
			name string
			tok  *oauth2.Token
		}{
			{"everything", (&oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: exp, ExpiresIn: 3600}).
				WithExtra(map[string]any{"scope": "identity chat:write", "other": "dropped"})},
			{"no expiry, no refresh token", &oauth2.Token{AccessToken: "at-only", TokenType: "Bearer"}},
			{"refresh token only", &oauth2.Token{RefreshToken: "rt-only"}},
			{"empty scope kept", (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{"scope": ""})},
			{"refresh token expiry", (&oauth2.Token{AccessToken: "at", RefreshToken: "rt", Expiry: exp}).
				WithExtra(map[string]any{"scope": "identity", tokenrec.ExtraRefreshExpiry: exp.AddDate(1, 0, 0)})},
			{"re-authorization marker", auth.MarkReauthorize(auth.ReasonInvalidGrant)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := st.Save(ctx, "k", tc.tok); err != nil {
					t.Fatal(err)
				}
				got, err := st.Load(ctx, "k")
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(fields(tc.tok), fields(got)); d != "" {
					t.Errorf("(-saved +loaded):\n%s", d)
				}
			})
		}
	})
	t.Run("Keys", func(t *testing.T) {
		st := open(t)
		keys := []string{"a", "A", "../escape", "a/b", "user:42", "ünïcode", " ", strings.Repeat("long", 300), "quote'\"; --"}
		for i, k := range keys {
			if err := st.Save(ctx, k, &oauth2.Token{AccessToken: strconv.Itoa(i)}); err != nil {
				t.Fatalf("Save(%q): %v", k, err)
			}
		}
		for i, k := range keys {
			got, err := st.Load(ctx, k)
			if err != nil || got.AccessToken != strconv.Itoa(i) {
				t.Errorf("Load(%q) = %v, %v; want token %d", k, got, err, i)
			}
		}
		for _, bad := range []string{"", "nul\x00byte", "bad \xff utf-8"} {
			for _, call := range []func() error{
				func() error { _, err := st.Load(ctx, bad); return err },
				func() error { return st.Save(ctx, bad, &oauth2.Token{AccessToken: "x"}) },
				func() error { return st.Delete(ctx, bad) },
				func() error {
					_, err := st.Update(ctx, bad, func(context.Context, *oauth2.Token) (*oauth2.Token, error) { return nil, nil })
					return err
				},
			} {
				if err := call(); err == nil || errors.Is(err, auth.ErrNotFound) {
					t.Errorf("key %q was accepted (err %v), want auth.CheckKey's refusal", bad, err)
				}
			}
		}
	})
	t.Run("List", func(t *testing.T) { listKeys(t, open) })
	t.Run("SaveRejectsEmpty", func(t *testing.T) {
		st := open(t)
		for _, tok := range []*oauth2.Token{nil, {}, {TokenType: "Bearer"}} {
			if err := st.Save(ctx, "k", tok); err == nil {
				t.Errorf("Save(%+v) succeeded, want an error", tok)
			}
		}
	})
	t.Run("OverwriteAndDelete", func(t *testing.T) {
		st := open(t)
		mustSave(t, st, "k", "one")
		mustSave(t, st, "k", "two")
		if got := mustLoad(t, st, "k"); got.AccessToken != "two" {
			t.Errorf("after overwrite: %q, want two", got.AccessToken)
		}
		if err := st.Delete(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Load(ctx, "k"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("after Delete: err = %v, want auth.ErrNotFound", err)
		}
		if err := st.Delete(ctx, "k"); err != nil {
			t.Errorf("deleting a missing key: %v", err)
		}
	})
	t.Run("Update", func(t *testing.T) {
		sentinel := errors.New("f failed")
		for _, tc := range []struct {
			name    string
			stored  string // "" for none
			f       func(cur *oauth2.Token) (*oauth2.Token, error)
			want    string // what Update returns ("" for nil)
			wantErr error
			after   string // what is stored after ("" for none)
		}{
			{name: "new token is stored", stored: "old",
				f:    func(*oauth2.Token) (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "new"}, nil },
				want: "new", after: "new"},
			{name: "first token under a key", f: func(cur *oauth2.Token) (*oauth2.Token, error) {
				if cur != nil {
					return nil, fmt.Errorf("cur = %v, want nil", cur)
				}
				return &oauth2.Token{AccessToken: "first"}, nil
			}, want: "first", after: "first"},
			{name: "cur returned: nothing written", stored: "old",
				f:    func(cur *oauth2.Token) (*oauth2.Token, error) { return cur, nil },
				want: "old", after: "old"},
			{name: "nil returned: nothing written", stored: "old",
				f:    func(*oauth2.Token) (*oauth2.Token, error) { return nil, nil },
				want: "old", after: "old"},
			{name: "f fails: nothing written", stored: "old",
				f:       func(*oauth2.Token) (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "new"}, sentinel },
				wantErr: sentinel, after: "old"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st := open(t)
				if tc.stored != "" {
					mustSave(t, st, "k", tc.stored)
				}
				got, err := st.Update(ctx, "k", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) { return tc.f(cur) })
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("err = %v, want %v", err, tc.wantErr)
					}
				} else if err != nil {
					t.Fatal(err)
				} else if got == nil || got.AccessToken != tc.want {
					t.Fatalf("Update returned %v, want %q", got, tc.want)
				}
				cur, err := st.Load(ctx, "k")
				switch {
				case tc.after == "" && !errors.Is(err, auth.ErrNotFound):
					t.Errorf("after: %v, %v; want nothing stored", cur, err)
				case tc.after != "" && (err != nil || cur.AccessToken != tc.after):
					t.Errorf("after: %v, %v; want %q", cur, err, tc.after)
				}
			})
		}
	})
	t.Run("UpdateExcludes", func(t *testing.T) {
		// The lost-update test: increments under the lock add up.
		st := open(t)
		mustSave(t, st, "counter", "0")
		const goroutines, each = 8, 10
		var inside, overlaps atomic.Int32
		var wg sync.WaitGroup
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					_, err := st.Update(ctx, "counter", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
						if inside.Add(1) > 1 {
							overlaps.Add(1)
						}
						defer inside.Add(-1)
						n, err := strconv.Atoi(cur.AccessToken)
						if err != nil {
							return nil, err
						}
						time.Sleep(100 * time.Microsecond)
						return &oauth2.Token{AccessToken: strconv.Itoa(n + 1)}, nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if got := mustLoad(t, st, "counter").AccessToken; got != strconv.Itoa(goroutines*each) {
			t.Errorf("counter = %s, want %d", got, goroutines*each)
		}
		if n := overlaps.Load(); n > 0 {
			t.Errorf("%d calls of f overlapped another", n)
		}
	})
	t.Run("LockedKeyStillReadable", func(t *testing.T) {
		// Sources read without the lock first; a refresh in progress must
		// not hold them up.
		st := open(t)
		mustSave(t, st, "k", "old")
		entered, release := make(chan struct{}), make(chan struct{})
		done := make(chan error)
		go func() {
			_, err := st.Update(ctx, "k", func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
				close(entered)
				<-release
				return &oauth2.Token{AccessToken: "new"}, nil
			})
			done <- err
		}()
		<-entered
		loaded := make(chan string)
		go func() {
			tok, err := st.Load(ctx, "k")
			if err != nil {
				loaded <- err.Error()
				return
			}
			loaded <- tok.AccessToken
		}()
		select {
		case got := <-loaded:
			if got != "old" {
				t.Errorf("Load during Update = %q, want old", got)
			}
		case <-time.After(5 * time.Second):
			t.Error("Load waited for the Update that holds the key")
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t, st, "k").AccessToken; got != "new" {
			t.Errorf("after Update: %q, want new", got)
		}
	})
	t.Run("LockWaitEndsWithContext", func(t *testing.T) {
		st := open(t)
		entered, release := make(chan struct{}), make(chan struct{})
		done := make(chan error)
		go func() {
			_, err := st.Update(ctx, "k", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
				close(entered)
				<-release
				return cur, nil
			})
			done <- err
		}()
		<-entered
		wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		called := false
		start := time.Now()
		_, err := st.Update(wctx, "k", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) { called = true; return cur, nil })
		if !errors.Is(err, context.DeadlineExceeded) || called {
			t.Errorf("err = %v, f called: %v; want context.DeadlineExceeded and f not called", err, called)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("the wait went on %v after its context ended", d)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("SavesAfterContextEnds", func(t *testing.T) {
		// f may have spent a single-use refresh token: its answer is
		// saved even if the caller has given up meanwhile.
		st := open(t)
		uctx, cancel := context.WithCancel(ctx)
		_, err := st.Update(uctx, "k", func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
			cancel()
			return &oauth2.Token{AccessToken: "rotated"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t, st, "k").AccessToken; got != "rotated" {
			t.Errorf("stored %q, want rotated", got)
		}
	})
}

// fields is what a store must keep of a token.
func fields(tok *oauth2.Token) map[string]any {
	m := map[string]any{
		"AccessToken":  tok.AccessToken,
		"TokenType":    tok.TokenType,
		"RefreshToken": tok.RefreshToken,
		"Expiry":       tok.Expiry.UTC().Format(time.RFC3339Nano),
		"ExpiresIn":    tok.ExpiresIn,
	}
	if s, ok := tok.Extra("scope").(string); ok {
		m["scope"] = s
	}
	if t := auth.RefreshExpiry(tok); !t.IsZero() {
		m["RefreshExpiry"] = t.UTC().Format(time.RFC3339Nano)
	}
	if r, ok := auth.NeedsReauthorization(tok); ok {
		m["Reauthorize"] = string(r)
	}
	return m
}

func mustSave(t *testing.T, st auth.Store, key, at string) {
	t.Helper()
	if err := st.Save(context.Background(), key, &oauth2.Token{AccessToken: at, RefreshToken: "rt-" + at}); err != nil {
		t.Fatal(err)
	}
}

func mustLoad(t *testing.T, st auth.Store, key string) *oauth2.Token {
	t.Helper()
	tok, err := st.Load(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
