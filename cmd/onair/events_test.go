package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// TestEventsSandbox follows a streamer on the DLive sandbox: the scripted
// chat message and follow arrive, in text and in JSON lines, and the
// command runs until interrupted.
func TestEventsSandbox(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		r := startCancelable(t, nil, "events", "dlive", "dlive-12345678", "--sandbox")
		awaitIn(t, r.stdout, regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  Message  OnairDemo \(dlive-87654321\)  Hello from the onair sandbox!$`))
		awaitIn(t, r.stdout, regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  Follow  OnairDemo \(dlive-87654321\)  followed$`))
		res := r.stop(t)
		checkNoGoroutineLeft(t)
		if !strings.HasPrefix(res.stdout, "Following dlive-12345678's DLive events on the sandbox until interrupted (Ctrl-C).\n") {
			t.Errorf("stdout:\n%s", res.stdout)
		}
	})
	t.Run("json", func(t *testing.T) {
		r := startCancelable(t, nil, "events", "dlive", "dlive-12345678", "--sandbox", "--json")
		awaitIn(t, r.stdout, regexp.MustCompile(`"kind":"Follow"`))
		res := r.stop(t)
		type sender struct{ Username string }
		type event struct {
			Type, Content string
			Sender        sender
		}
		type line struct {
			Provider, Kind string
			Event          event
		}
		var got []line
		for l := range strings.Lines(res.stdout) {
			var v line
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("not a JSON line: %q: %v", l, err)
			}
			got = append(got, v)
		}
		want := []line{
			{"dlive", "Message", event{"Message", "Hello from the onair sandbox!", sender{"dlive-87654321"}}},
			{"dlive", "Follow", event{"Follow", "", sender{"dlive-87654321"}}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if !strings.Contains(res.stderr, "Following dlive-12345678's DLive events") {
			t.Errorf("stderr:\n%s", res.stderr)
		}
	})
}

// TestEventsStoredLogin follows a streamer with the token of a stored
// login, at the server the login used (a sandbox this test runs, which
// stands in for DLive): hostile chat text, names and kinds reach the
// terminal escaped, and a kind onair does not know prints its typename.
func TestEventsStoredLogin(t *testing.T) {
	srv := dlivetest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"ONAIR_CONFIG_DIR": dir}
	st, err := filestore.Open(filepath.Join(dir, "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	tok := srv.IssueToken(scopes.DLiveIdentity, scopes.DLiveChatWrite)
	if err := st.Save(t.Context(), "dlive", tok); err != nil {
		t.Fatal(err)
	}
	a := newApp(strings.NewReader(""), newSyncBuffer(), newSyncBuffer(), func(k string) string { return env[k] })
	if err := a.saveMeta("dlive", loginMeta{Provider: "dlive", ClientID: srv.ClientID, BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}

	r := startCancelable(t, env, "events", "dlive", "dlive-12345678")
	waitSubscribed(t, srv, r)
	client, err := dlive.NewClient(dlivetestTokens{srv}, dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Chat.Send(t.Context(), dlive.SendStreamchatMessageInput{
		Streamer: "dlive-12345678", Message: "\x1b]0;pwned\x07\x1b[2Jhi\u202eevil", RoomRole: dlive.RoomRoleMember,
	}); err != nil {
		t.Fatal(err)
	}
	awaitIn(t, r.stdout, regexp.MustCompile(`(?m)  Message  OnairDemo \(dlive-87654321\)  \\x1b\]0;pwned\\a\\x1b\[2Jhi\\u202eevil$`))
	if err := srv.Emit("dlive-12345678", map[string]any{
		"__typename": "ChatNovelty\x1b[31m", "type": "Novelty", "id": "n1",
	}); err != nil {
		t.Fatal(err)
	}
	awaitIn(t, r.stdout, regexp.MustCompile(`(?m)  ChatNovelty\\x1b\[31m  -  not decoded: `))
	res := r.stop(t)
	checkHarmless(t, "events", res.stdout+res.stderr)
}

// TestEventsTokenRefused follows a streamer with a stored login whose
// token the server does not know (revoked, or from another server): the
// error says to log in again, in one line, and shows no token.
func TestEventsTokenRefused(t *testing.T) {
	srv := dlivetest.NewServer()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"ONAIR_CONFIG_DIR": dir}
	st, err := filestore.Open(filepath.Join(dir, "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	tok := &oauth2.Token{AccessToken: "unknown-access-token-0123", RefreshToken: "unknown-refresh-token-4567", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	if err := st.Save(t.Context(), "dlive", tok); err != nil {
		t.Fatal(err)
	}
	a := newApp(strings.NewReader(""), newSyncBuffer(), newSyncBuffer(), func(k string) string { return env[k] })
	if err := a.saveMeta("dlive", loginMeta{Provider: "dlive", ClientID: srv.ClientID, BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	r := runInProcess(t, env, "events", "dlive", "dlive-12345678", "--json")
	const want = `onair events: DLive refused the stored token: run "onair login dlive" to log in again` + "\n"
	if r.code != exitFail || !strings.HasSuffix(r.stderr, want) || strings.Count(r.stderr, "\n") != 2 {
		t.Errorf("want exit %d and %q:\n%s", exitFail, want, r)
	}
	for _, s := range []string{tok.AccessToken, tok.RefreshToken} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("the token %q is printed:\n%s", s, r)
		}
	}
}

// TestEventsRefreshesStoredLogin follows a streamer with a stored login
// whose access token has expired: events refreshes it with the app's
// secret from the environment, as "onair token --refresh" does, stores
// the new token, and subscribes with it.
func TestEventsRefreshesStoredLogin(t *testing.T) {
	srv := dlivetest.NewServer()
	t.Cleanup(srv.Close)
	ctx := t.Context()
	cfg := srv.Config(scopes.DLiveIdentity)
	verifier := oauth2.GenerateVerifier()
	authURL, err := cfg.AuthCodeURL("state-of-the-test", oauth2.S256ChallengeOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.Approve(ctx, authURL)
	if err != nil {
		t.Fatal(err)
	}
	old, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	old.Expiry = time.Now().Add(-time.Minute)

	dir := t.TempDir()
	env := map[string]string{"ONAIR_CONFIG_DIR": dir, "ONAIR_DLIVE_CLIENT_SECRET": srv.ClientSecret}
	st, err := filestore.Open(filepath.Join(dir, "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, "dlive", old); err != nil {
		t.Fatal(err)
	}
	a := newApp(strings.NewReader(""), newSyncBuffer(), newSyncBuffer(), func(k string) string { return env[k] })
	if err := a.saveMeta("dlive", loginMeta{Provider: "dlive", ClientID: srv.ClientID, BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}

	r := startCancelable(t, env, "events", "dlive", "dlive-12345678")
	waitSubscribed(t, srv, r)
	stored, err := st.Load(ctx, "dlive")
	if err != nil {
		t.Fatal(err)
	}
	if stored.AccessToken == old.AccessToken || !stored.Valid() {
		t.Errorf("the stored token was not refreshed: expiry %v", stored.Expiry)
	}
	if got := srv.SubscriptionTokens(); len(got) == 0 || got[0] != stored.AccessToken {
		t.Errorf("the subscription did not use the refreshed token")
	}
	r.stop(t)
}

// waitSubscribed waits until r subscribed to dlive-12345678 on srv, at
// most 20 seconds, so that a command that failed fails the test.
func waitSubscribed(t *testing.T, srv *dlivetest.Server, r *running) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := srv.WaitSubscribed(ctx, "dlive-12345678", 1); err != nil {
		t.Fatalf("%v\n--- stdout:\n%s--- stderr:\n%s", err, r.stdout, r.stderr)
	}
}

// dlivetestTokens issues a sandbox token for each call.
type dlivetestTokens struct{ srv *dlivetest.Server }

func (s dlivetestTokens) Token() (*oauth2.Token, error) {
	return s.srv.IssueToken(scopes.DLiveChatWrite), nil
}

// TestEventsErrors checks the command lines events refuses, each with one
// line that says why.
func TestEventsErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // stderr's first line
	}{
		{[]string{"events"}, exitUsage, "onair events: name a provider: dlive"},
		{[]string{"events", "twitch", "x"}, exitUsage, `onair events: unknown provider "twitch": use one of livepush, livestorm, streamdiver, dlive`},
		{[]string{"events", "dlive"}, exitUsage, "onair events: name the streamer to follow, by username"},
		{[]string{"events", "dlive", "a", "b"}, exitUsage, "onair events: unexpected arguments after the streamer: b"},
		{[]string{"events", "dlive", "a", "--sandbox", "--client-id", "x"}, exitUsage, "onair events: --sandbox brings its own client and server: drop --client-id and --client-secret"},
		{[]string{"events", "dlive", "a", "--base-url", "http://127.0.0.1:1"}, exitUsage, "onair events: flag provided but not defined: -base-url"},
		{[]string{"events", "livestorm", "x"}, exitFail, `onair events: Livestorm has no live events over a WebSocket: its events come as webhooks; run "onair webhooks listen livestorm"`},
		{[]string{"events", "livepush", "x"}, exitFail, "onair events: Livepush has no live events"},
		{[]string{"events", "dlive", "dlive-12345678"}, exitFail, `onair events: no DLive token is stored: run "onair login dlive" first`},
		{[]string{"webhooks", "listen", "dlive"}, exitFail, `onair webhooks: DLive has no webhooks: its events come over a WebSocket; run "onair events dlive <streamer>"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			env := map[string]string{"ONAIR_CONFIG_DIR": t.TempDir()}
			r := runInProcess(t, env, tt.args...)
			first, _, _ := strings.Cut(r.stderr, "\n")
			if r.code != tt.code || first != tt.want || r.stdout != "" {
				t.Errorf("want exit %d and %q:\n%s", tt.code, tt.want, r)
			}
			if tt.code == exitFail && strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("want one line:\n%s", r.stderr)
			}
		})
	}
}

// A stored DLive login that cannot be read gets the same advice as from
// onair token: log in again.
func TestEventsUnreadableLogin(t *testing.T) {
	env := environ(t)
	dir := configDir(t, env)
	st, err := filestore.Open(filepath.Join(dir, "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(t.Context(), "dlive", &oauth2.Token{AccessToken: "secret-access"}); err != nil {
		t.Fatal(err)
	}
	records, _ := filepath.Glob(filepath.Join(dir, "tokens", "*.json"))
	if len(records) != 1 {
		t.Fatalf("records %v, want one", records)
	}
	if err := os.WriteFile(records[0], []byte("secret-looking garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := onair(t, env, "events", "dlive", "dlive-12345678")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot be read") || !strings.Contains(r.stderr, `run "onair login dlive"`) || strings.Contains(r.stderr, "secret") {
		t.Errorf("onair events over an unreadable login:\n%s", r)
	}
}
