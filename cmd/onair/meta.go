package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// loginMeta is what a login remembers besides the token, so that "onair
// token --refresh" asks the same server for the same app. It holds no
// secret: the client secret is asked for again.
type loginMeta struct {
	Provider    string    `json:"provider"`
	ClientID    string    `json:"client_id"`
	RedirectURL string    `json:"redirect_url,omitempty"` // Livepush sends it on refresh too
	BaseURL     string    `json:"base_url,omitempty"`
	Tenant      string    `json:"tenant,omitempty"`
	Sandbox     bool      `json:"sandbox,omitempty"` // a sandbox that ended with its login
	Time        time.Time `json:"time"`
}

func (a *app) metaPath(key string) (string, error) {
	d, err := a.configDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "logins", key+".json"), nil
}

func (a *app) saveMeta(key string, m loginMeta) error {
	p, err := a.metaPath(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("saving the login's details: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("saving the login's details: %w", err)
	}
	return nil
}

// loadMeta returns the details of the login stored under key, or nil if
// there are none (a token another program stored).
func (a *app) loadMeta(key string) (*loginMeta, error) {
	p, err := a.metaPath(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the login's details: %w", err)
	}
	var m loginMeta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reading the login's details in %s: %w", p, err)
	}
	return &m, nil
}
