package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// tokenStore is where logins keep their tokens: the part of auth.Store the
// commands use.
type tokenStore interface {
	Load(ctx context.Context, key string) (*oauth2.Token, error)
	Save(ctx context.Context, key string, tok *oauth2.Token) error
	// Update holds the key's lock across f, so that two processes never
	// spend one single-use refresh token.
	Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error)
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
	st, err := openFileStore(dir)
	return st, dir, err
}

// storeKey is the key a provider's token is stored under. A sandbox's
// tokens are kept apart, so that trying the sandbox never replaces a real
// login.
func storeKey(p provider, sandbox bool) string {
	if sandbox {
		return p.name() + "-sandbox"
	}
	return p.name()
}

// fileStore keeps one file per key, readable by its owner only.
//
// TODO: replace with auth/filestore, which locks across processes, once it
// lands; the commands see only tokenStore.
type fileStore struct{ dir string }

func openFileStore(dir string) (*fileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("token store: %w", err)
	}
	return &fileStore{dir}, nil
}

type fileRecord struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Scope        *string   `json:"scope,omitempty"`
}

func (s *fileStore) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.dir, hex.EncodeToString(sum[:])+".json")
}

func (s *fileStore) Load(_ context.Context, key string) (*oauth2.Token, error) {
	b, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("token store: key %q: %w", key, auth.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("token store: key %q: %w", key, err)
	}
	var r fileRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("token store: key %q: not a token record", key)
	}
	tok := &oauth2.Token{AccessToken: r.AccessToken, TokenType: r.TokenType, RefreshToken: r.RefreshToken, Expiry: r.Expiry}
	if r.Scope != nil {
		tok = tok.WithExtra(map[string]any{"scope": *r.Scope})
	}
	return tok, nil
}

func (s *fileStore) Save(_ context.Context, key string, tok *oauth2.Token) error {
	r := fileRecord{AccessToken: tok.AccessToken, TokenType: tok.TokenType, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry}
	if sc, ok := tok.Extra("scope").(string); ok {
		r.Scope = &sc
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("token store: key %q: %w", key, err)
	}
	f, err := os.CreateTemp(s.dir, "*.tmp") // 0600 from the start
	if err != nil {
		return fmt.Errorf("token store: key %q: %w", key, err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("token store: key %q: %w", key, err)
	}
	return nil
}

func (s *fileStore) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	cur, err := s.Load(ctx, key)
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		return nil, err
	}
	next, err := f(ctx, cur)
	if err != nil {
		return nil, err
	}
	if next == nil || next == cur {
		return cur, nil
	}
	if err := s.Save(ctx, key, next); err != nil {
		return nil, err
	}
	return next, nil
}
