package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// configDir is the ONAIR_CONFIG_DIR of env.
func configDir(t *testing.T, env []string) string {
	t.Helper()
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "ONAIR_CONFIG_DIR="); ok {
			return v
		}
	}
	t.Fatal("no ONAIR_CONFIG_DIR")
	return ""
}

// sandboxLogin logs in to the DLive sandbox, approving the consent page.
func sandboxLogin(t *testing.T, env []string) result {
	t.Helper()
	p := start(t, env, "login", "dlive", "--sandbox", "--no-browser")
	if _, _, err := browse(p.await(t, authURLPattern), "approve"); err != nil {
		t.Fatal(err)
	}
	return p.wait(t)
}

// A record that cannot be read does not block a login: onair token says
// to log in again, and the login stores its token over the record.
func TestLoginOverUnreadableRecord(t *testing.T) {
	for name, raw := range map[string]string{
		"garbage": "secret-looking garbage",
		"empty":   "",
		"newer":   `{"v":2,"data":"c2VjcmV0"}`,
	} {
		t.Run(name, func(t *testing.T) {
			env := environ(t)
			if r := sandboxLogin(t, env); r.code != 0 {
				t.Fatalf("the first login:\n%s", r)
			}
			records, _ := filepath.Glob(filepath.Join(configDir(t, env), "tokens", "*.json"))
			if len(records) != 1 {
				t.Fatalf("records %v, want one", records)
			}
			if err := os.WriteFile(records[0], []byte(raw), 0o600); err != nil {
				t.Fatal(err)
			}
			r := onair(t, env, "token", "dlive", "--sandbox")
			if r.code != 1 || !strings.Contains(r.stderr, "cannot be read") || !strings.Contains(r.stderr, `run "onair login`) || strings.Contains(r.stderr, "secret") {
				t.Errorf("onair token over the unreadable record:\n%s", r)
			}
			if r := sandboxLogin(t, env); r.code != 0 || !strings.Contains(r.stdout, "Logged in to ") {
				t.Fatalf("the login over the unreadable record:\n%s", r)
			}
			if v := tokenJSON(t, env, "dlive", "--sandbox"); v.AccessToken != redacted {
				t.Errorf("after the second login: %+v", v)
			}
			kept, err := os.ReadFile(strings.TrimSuffix(records[0], ".json") + ".unreadable")
			if err != nil || string(kept) != raw {
				t.Errorf("the unreadable record kept aside: %q, %v; want %q", kept, err, raw)
			}
		})
	}
}

// A login whose token could not be stored opens no browser: a code is
// single use, and spending it for nothing would lose the login.
func TestLoginChecksStoreFirst(t *testing.T) {
	env := environ(t)
	dir := configDir(t, env)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A file where the token directory should be.
	if err := os.WriteFile(filepath.Join(dir, "tokens"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := onair(t, env, "login", "dlive", "--sandbox", "--no-browser")
	if r.code != 1 || !strings.Contains(r.stderr, "token store") {
		t.Errorf("login with a token store that cannot be opened:\n%s", r)
	}
	if authURLPattern.MatchString(r.stdout) {
		t.Errorf("the login asked for consent before it could store a token:\n%s", r)
	}
}
