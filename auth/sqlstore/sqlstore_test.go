package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sealed"
	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
)

func dbFile(t *testing.T) string { return filepath.Join(t.TempDir(), "tokens.db") }

func version(t *testing.T, path, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("SELECT MAX(version) FROM " + table + "_schema").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := dbFile(t)

	// Replicas starting together migrate once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Error(err)
				return
			}
			st.Close()
		}()
	}
	wg.Wait()
	if v := version(t, path, "onair_tokens"); v != sqlstore.LatestSchema {
		t.Fatalf("schema version %d, want %d", v, sqlstore.LatestSchema)
	}
	st, _ := sqlite.Open(ctx, path)
	if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "kept"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// A later version adds a migration: it runs once, and keeps the data.
	next := sqlstore.Migrations(sqlstore.SQLite, "onair_tokens", "CREATE INDEX onair_tokens_updated ON onair_tokens (updated_at)")
	for range 2 {
		st, err := sqlite.Open(ctx, path, next)
		if err != nil {
			t.Fatal(err)
		}
		if tok, err := st.Load(ctx, "u"); err != nil || tok.AccessToken != "kept" {
			t.Fatalf("after migrating: %v %v", tok, err)
		}
		st.Close()
	}
	if v := version(t, path, "onair_tokens"); v != sqlstore.LatestSchema+1 {
		t.Fatalf("schema version %d, want %d", v, sqlstore.LatestSchema+1)
	}

	// The older package refuses the newer schema rather than guess.
	if _, err := sqlite.Open(ctx, path); !errors.Is(err, sqlstore.ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
}

func TestOptionsRejected(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"", "Tokens", "1tokens", "tokens; drop table x", strings.Repeat("t", 41)} {
		if _, err := sqlite.Open(ctx, dbFile(t), sqlstore.Table(name)); err == nil {
			t.Errorf("table %q accepted", name)
		}
	}
	db, _ := sql.Open("sqlite", dbFile(t))
	defer db.Close()
	if _, err := sqlstore.Open(ctx, db, sqlstore.Dialect(9)); err == nil {
		t.Error("an unknown dialect was accepted")
	}
	for _, p := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro"} {
		if _, err := sqlite.Open(ctx, p); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

// Two tables in one database are two stores.
func TestTables(t *testing.T) {
	ctx := context.Background()
	path := dbFile(t)
	a, err := sqlite.Open(ctx, path, sqlstore.Table("dlive_tokens"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sqlite.Open(ctx, path, sqlstore.Table("livestorm_tokens"))
	a.Save(ctx, "u", &oauth2.Token{AccessToken: "dlive"})
	b.Save(ctx, "u", &oauth2.Token{AccessToken: "livestorm"})
	ta, _ := a.Load(ctx, "u")
	tb, _ := b.Load(ctx, "u")
	if ta.AccessToken != "dlive" || tb.AccessToken != "livestorm" {
		t.Errorf("got %q and %q", ta.AccessToken, tb.AccessToken)
	}
}

// A sealed row names its key in key_id and holds no token in clear; after
// a rotation, a save moves the row to the new key.
func TestSealedRows(t *testing.T) {
	ctx := context.Background()
	path := dbFile(t)
	k1 := bytes.Repeat([]byte{1}, sealed.KeySize)
	k2 := bytes.Repeat([]byte{2}, sealed.KeySize)
	old, _ := sealed.NewKeyring("2026", map[string][]byte{"2026": k1})
	st, err := sqlite.Open(ctx, path, sqlstore.Sealed(old))
	if err != nil {
		t.Fatal(err)
	}
	tok := &oauth2.Token{AccessToken: "access-secret", RefreshToken: "refresh-secret"}
	if err := st.Save(ctx, "u", tok); err != nil {
		t.Fatal(err)
	}
	row := func() (string, []byte) {
		db, _ := sql.Open("sqlite", path)
		defer db.Close()
		var id string
		var data []byte
		if err := db.QueryRow("SELECT key_id, token FROM onair_tokens WHERE key = 'u'").Scan(&id, &data); err != nil {
			t.Fatal(err)
		}
		return id, data
	}
	id, data := row()
	if id != "2026" || bytes.Contains(data, []byte("secret")) {
		t.Errorf("row: key_id %q, token in clear: %v", id, bytes.Contains(data, []byte("secret")))
	}
	rotated, _ := sealed.NewKeyring("2027", map[string][]byte{"2026": k1, "2027": k2})
	st2, _ := sqlite.Open(ctx, path, sqlstore.Sealed(rotated))
	if _, err := st2.Update(ctx, "u", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: cur.AccessToken, RefreshToken: "refresh-2"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if id, _ := row(); id != "2027" {
		t.Errorf("after a save under the rotated keyring: key_id %q, want 2027", id)
	}
	plain, _ := sqlite.Open(ctx, path)
	if _, err := plain.Load(ctx, "u"); !errors.Is(err, auth.ErrUnreadable) || strings.Contains(err.Error(), "secret") {
		t.Errorf("a store without the keyring: err = %v, want auth.ErrUnreadable without the token", err)
	}
	if _, err := st.Load(ctx, "u"); !errors.Is(err, auth.ErrUnreadable) || !errors.Is(err, sealed.ErrUnknownKey) {
		t.Errorf("a keyring without the row's key: err = %v, want auth.ErrUnreadable and sealed.ErrUnknownKey", err)
	}
}
