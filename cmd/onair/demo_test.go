package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDemo runs "onair demo" as the README says to, and checks that it
// reports every step, in order, with what the calls returned.
func TestDemo(t *testing.T) {
	began := time.Now()
	r := onair(t, environ(t), "demo")
	took := time.Since(began)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("onair demo:\n%s", r)
	}
	if took > 10*time.Second {
		t.Errorf("the demo took %s; it should take a second or two", took)
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("escape sequences in output to a pipe:\n%q", r.stdout)
	}
	steps := []string{
		`^Livepush  sandbox at http://127\.0\.0\.1:\d+$`,
		`^  ok LeastPrivilege\(Streams\.Create, Streams\.Get\) = streams\.create streams\.read$`,
		`^  ok authorization code with state and PKCE: approved, code exchanged; granted streams\.create streams\.read, expires in 1h0m0s$`,
		`^      token request: GET with the client secret in the query; the answer's token_type "access_token" is sent as "Bearer"$`,
		`^  ok Streams\.Create: stream (st_\w+) "onair demo" \(simulcast\)$`,
		`^  ok Streams\.Get (st_\w+): "onair demo" in zone \S+, created \d\d:\d\d:\d\d$`,
		`^      sent with Authorization: Bearer$`,
		`^  ok Account\.Get refused before sending, the sandbox saw 0 requests for it:$`,
		`^      livepush: Account\.Get needs scope profile\.read, which the token was not granted .*scope not granted$`,
		`^Livestorm  sandbox at http://127\.0\.0\.1:\d+$`,
		`^  ok scopes full:write \+ events:read refused before any request:$`,
		`^      auth: Config\.Scopes: scopes: livestorm: "full:write" must be the only scope`,
		`^  ok authorization code with state and PKCE: approved, code exchanged; granted events:read, expires in 2h0m0s$`,
		`^      token request: POST with the client secret in the form body; created_at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC kept in the token's Extra$`,
		`^  ok Events\.List: (\d\d+) events across ([2-9]) pages, fetched as the loop asked; the first is ".+"$`,
		`^  ok rate limit: 2 clients sharing one token sent 10 Events\.Get at once; ([1-9]\d*) were answered 429 with Retry-After: 1$`,
		`^      the clients waited as told \((\d+\.\d\d)s at most\) and retried: 10 of 10 succeeded in \d+\.\d\ds$`,
		`^      why: each client paces itself`,
		`^Streamdiver  sandbox at http://127\.0\.0\.1:\d+$`,
		`^  ok client credentials in tenant "acme"'s realm: application token, expires in \S+, granted .*; no refresh token: a new one is requested near expiry$`,
		`^      token request: POST /realms/acme/protocol/openid-connect/token with the client secret in the form body$`,
		`^  ok Media\.List, then Media\.Get [0-9a-f-]{36}: ".+" \(\w+.*\)$`,
		`^DLive  sandbox at http://127\.0\.0\.1:\d+$`,
		`^  ok authorization code with state and PKCE: approved, code exchanged; granted identity, expires in 30 days$`,
		`^      token request: POST with HTTP Basic client authentication; the answer's "expiry": "0001-01-01T00:00:00Z", read as DLive's documented 30 days$`,
		`^  ok Users\.Me: \S+ \(".+"\), sent with the token bare in Authorization, no scheme, as DLive wants$`,
		`^  ok refresh: a new access token, expires in 30 days; a new refresh token, since DLive's are single use$`,
		`^      the spent refresh token, sent again: 400 invalid_grant$`,
		`^  ok client credentials: app token, expires in 30 days, no user$`,
		`^ok Four providers, \d+\.\d+s\. Next: "onair login <provider> --sandbox" shows the consent page in your browser\.$`,
	}
	lines := strings.Split(r.stdout, "\n")
	i := 0
	var streamIDs []string
	for _, s := range steps {
		re := regexp.MustCompile(s)
		for ; i < len(lines) && !re.MatchString(lines[i]); i++ {
		}
		if i == len(lines) {
			t.Fatalf("the demo's output lacks, after the steps before it, a line matching\n\t%s\n%s", s, r.stdout)
		}
		m := re.FindStringSubmatch(lines[i])
		switch {
		case strings.Contains(s, "st_"):
			streamIDs = append(streamIDs, m[1])
		case strings.Contains(s, "waited as told"):
			// Retry-After: 1 was honoured, not cut short.
			if w, err := strconv.ParseFloat(m[1], 64); err != nil || w < 0.95 {
				t.Errorf("the clients waited %ss after a 429 with Retry-After: 1", m[1])
			}
		}
		i++
	}
	if len(streamIDs) != 2 || streamIDs[0] != streamIDs[1] {
		t.Errorf("Streams.Get read %v, want the stream Streams.Create made", streamIDs)
	}
	if strings.Contains(r.stdout, "FAIL") {
		t.Errorf("a step failed:\n%s", r.stdout)
	}
}

// TestStyle checks when output is decorated: only on a terminal, and not
// with NO_COLOR or TERM=dumb.
func TestStyle(t *testing.T) {
	tty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal to test with: %v", err)
	}
	defer tty.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	tests := []struct {
		name  string
		out   *os.File
		env   map[string]string
		fancy bool
	}{
		{"terminal", tty, nil, true},
		{"terminal, NO_COLOR", tty, map[string]string{"NO_COLOR": "1"}, false},
		{"terminal, NO_COLOR empty", tty, map[string]string{"NO_COLOR": ""}, true},
		{"terminal, TERM=dumb", tty, map[string]string{"TERM": "dumb"}, false},
		{"file", file, nil, false},
	}
	for _, tt := range tests {
		s := newStyle(tt.out, func(k string) string { return tt.env[k] })
		if s.fancy != tt.fancy {
			t.Errorf("%s: fancy %v, want %v", tt.name, s.fancy, tt.fancy)
		}
		ok, fail := s.ok(), s.fail()
		if tt.fancy {
			if ok != "\x1b[32m✓\x1b[0m" || fail != "\x1b[31m✗\x1b[0m" {
				t.Errorf("%s: marks %q %q", tt.name, ok, fail)
			}
		} else if ok != "ok" || fail != "FAIL" || s.bold("x") != "x" {
			t.Errorf("%s: plain marks %q %q %q", tt.name, ok, fail, s.bold("x"))
		}
	}
}
