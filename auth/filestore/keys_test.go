package filestore_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
)

// File names are hashes, so Keys reads the key from inside each record:
// a record without one (written before Keys existed) is not listed until
// a save rewrites it, and a record copied under another key's name is
// not listed under either key.
func TestKeysFromRecords(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	for _, k := range []string{"old", "kept", "copied"} {
		if err := st.Save(ctx, k, &oauth2.Token{AccessToken: "at-" + k}); err != nil {
			t.Fatal(err)
		}
	}
	path := func(key string) string { return filestore.RecordPath(st, key) }

	// "old": the record as an older version wrote it, without its key.
	b, err := os.ReadFile(path("old"))
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	delete(env, "key")
	b, _ = json.Marshal(env)
	if err := os.WriteFile(path("old"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	// "copied": replaced by a copy of "kept"'s record.
	kept, err := os.ReadFile(path("kept"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path("copied"), kept, 0o600); err != nil {
		t.Fatal(err)
	}

	keys, err := st.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if d := cmp.Diff([]string{"kept"}, keys); d != "" {
		t.Errorf("Keys (-want +got):\n%s", d)
	}

	if err := st.Save(ctx, "old", &oauth2.Token{AccessToken: "again"}); err != nil {
		t.Fatal(err)
	}
	keys, _ = st.Keys(ctx)
	slices.Sort(keys)
	if d := cmp.Diff([]string{"kept", "old"}, keys); d != "" {
		t.Errorf("Keys after saving old again (-want +got):\n%s", d)
	}
}
