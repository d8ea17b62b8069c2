package authserver

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// A code exchanged by many requests at once is good for one of them.
func TestCodeSpentOnceUnderConcurrency(t *testing.T) {
	f := startFor(formDialect())
	t.Cleanup(f.Close)
	code := authCode(t, f, url.Values{"scope": {"events:read"}})
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb},
		"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
	statuses := make(chan int, 8)
	var wg sync.WaitGroup
	for range cap(statuses) {
		wg.Go(func() { statuses <- post(t, f, form, false).status })
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for s := range statuses {
		if s == http.StatusOK {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d exchanges of one code succeeded, want 1", ok)
	}
}

// A rotating refresh token used by many requests at once is good for one
// of them.
func TestRefreshSpentOnceUnderConcurrency(t *testing.T) {
	f := startFor(basicDialect())
	t.Cleanup(f.Close)
	code := authCode(t, f, url.Values{"scope": {"identity"}})
	a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb}}, true)
	rt, _ := a.body["refresh_token"].(string)
	if rt == "" {
		t.Fatalf("exchange answered %v", a)
	}
	statuses := make(chan int, 8)
	var wg sync.WaitGroup
	for range cap(statuses) {
		wg.Go(func() {
			statuses <- post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true).status
		})
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for s := range statuses {
		if s == http.StatusOK {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d refreshes with one rotating token succeeded, want 1", ok)
	}
}

// A revocation of a grant that lands while one of its refreshes is being
// answered leaves no token of the grant alive, wherever it lands: the
// refresh token is spent and its successors issued in one step. The clock
// is the hook: each time the server reads it without holding its lock,
// the first time after the refresh began, the grant is revoked.
func TestRevocationDuringRefreshLeavesNothingAlive(t *testing.T) {
	f, _, refresh := tokenPair(t)
	var once sync.Once
	revoked := false
	f.Server.now = func() time.Time {
		if f.Server.mu.TryLock() { // not inside a step of the server
			f.Server.mu.Unlock()
			once.Do(func() { revoked = f.Server.revoke(f.Client.ID, refresh) })
		}
		return time.Now()
	}
	a := post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
	once.Do(func() { revoked = f.Server.revoke(f.Client.ID, refresh) }) // if the refresh read no clock unlocked
	if !revoked {
		t.Fatal("the grant was not revoked")
	}
	if a.status != http.StatusOK {
		return // the revocation came first: nothing was issued
	}
	access, _ := a.body["access_token"].(string)
	next, _ := a.body["refresh_token"].(string)
	if r := post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {next},
		"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false); r.status == http.StatusOK {
		t.Error("the refresh token issued during the revocation still refreshes")
	}
	req, _ := http.NewRequest(http.MethodGet, f.APIURL, nil)
	req.Header.Set("Authorization", "Bearer "+access)
	if r := do(t, req); r.status == http.StatusOK {
		t.Error("the access token issued during the revocation is still accepted")
	}
}

// A code is good for a minute: at the minute it has expired, as an access
// token has at its expiry (Protect) and a refresh token at its own.
func TestCodeExpiresAtItsExpiry(t *testing.T) {
	f := startFor(formDialect())
	t.Cleanup(f.Close)
	clock := &fakeClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	f.Server.now = clock.now
	code := authCode(t, f, url.Values{"scope": {"events:read"}})
	clock.advance(time.Minute)
	a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb},
		"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
	if a.status != http.StatusBadRequest || a.body["error"] != "invalid_grant" {
		t.Errorf("a code a minute old answered %d %v, want 400 invalid_grant", a.status, a.body)
	}
}
