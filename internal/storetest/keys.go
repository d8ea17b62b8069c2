package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// listKeys tests auth.Lister, which every store of this module implements
// so that an auth.Refresher can walk it.
func listKeys(t *testing.T, open func(t *testing.T) auth.Store) {
	ctx := context.Background()
	lister := func(t *testing.T) (auth.Store, auth.Lister) {
		st := open(t)
		l, ok := st.(auth.Lister)
		if !ok {
			t.Fatalf("%T does not implement auth.Lister", st)
		}
		return st, l
	}
	keys := func(t *testing.T, l auth.Lister) []string {
		t.Helper()
		got, err := l.Keys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		return got
	}

	t.Run("Empty", func(t *testing.T) {
		_, l := lister(t)
		if got := keys(t, l); len(got) != 0 {
			t.Errorf("Keys of an empty store = %q, want none", got)
		}
	})
	t.Run("SavedNotDeleted", func(t *testing.T) {
		st, l := lister(t)
		saved := []string{"a", "A", "../escape", "a/b", "user:42", "ünïcode", " ", "quote'\"; --"}
		for _, k := range saved {
			mustSave(t, st, k, "at-"+k)
		}
		if _, err := st.Update(ctx, "via-update", func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: "u"}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := st.Delete(ctx, "a/b"); err != nil {
			t.Fatal(err)
		}
		want := []string{" ", "../escape", "A", "a", "quote'\"; --", "user:42", "via-update", "ünïcode"}
		if d := cmp.Diff(want, keys(t, l)); d != "" {
			t.Errorf("Keys (-want +got):\n%s", d)
		}
	})
	t.Run("WhileLocked", func(t *testing.T) {
		// A Refresher lists keys while others refresh: Keys takes no lock.
		st, l := lister(t)
		mustSave(t, st, "k", "old")
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
		listed := make(chan []string)
		go func() {
			got, _ := l.Keys(ctx)
			listed <- got
		}()
		select {
		case got := <-listed:
			if d := cmp.Diff([]string{"k"}, got); d != "" {
				t.Errorf("Keys during an Update (-want +got):\n%s", d)
			}
		case <-time.After(5 * time.Second):
			t.Error("Keys waited for the Update that holds a key")
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
