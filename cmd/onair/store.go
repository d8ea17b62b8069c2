package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
)

// tokenStore is where logins keep their tokens: an auth.Store, spelled out
// for what the commands use of it.
type tokenStore interface {
	Load(ctx context.Context, key string) (*oauth2.Token, error)
	Save(ctx context.Context, key string, tok *oauth2.Token) error
	// Update holds the key's lock across f, so that two processes never
	// spend one single-use refresh token.
	Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error)
	// Delete completes auth.Store, which auth.Config.Logout takes.
	Delete(ctx context.Context, key string) error
}

// configDir is onair's configuration directory: $ONAIR_CONFIG_DIR, or
// os.UserConfigDir()/onair.
func (a *app) configDir() (string, error) {
	if d := a.getenv("ONAIR_CONFIG_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration directory (set ONAIR_CONFIG_DIR): %w", err)
	}
	return filepath.Join(d, "onair"), nil
}

// tokenDir is the directory of the token files.
func (a *app) tokenDir() (string, error) {
	d, err := a.configDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "tokens"), nil
}

func (a *app) openStore() (tokenStore, string, error) {
	dir, err := a.tokenDir()
	if err != nil {
		return nil, "", err
	}
	// auth/filestore: one file per key, 0600 in a 0700 directory, replaced
	// atomically, with a lock that spans processes for refreshes.
	st, err := filestore.Open(dir)
	if err != nil {
		return nil, "", fmt.Errorf("opening the token store: %w", err)
	}
	return st, dir, nil
}

// openExistingStore opens the token store for reading: it returns nil
// when the store's directory does not exist, where openStore would create
// it, so that reading a token creates no file.
func (a *app) openExistingStore() (tokenStore, error) {
	dir, err := a.tokenDir()
	if err != nil {
		return nil, err
	}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	st, err := filestore.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("opening the token store: %w", err)
	}
	return st, nil
}

// storeKey is the key a provider's token is stored under. A sandbox's
// tokens are kept apart, so that trying the sandbox never replaces a real
// login.
func storeKey(p provider, sandbox bool) string {
	if sandbox {
		return p.Name() + "-sandbox"
	}
	return p.Name()
}
