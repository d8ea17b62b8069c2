package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// hostile is text from outside onair that tries to take over the terminal
// it is printed on. Each carries the word PWNED, so that a test can tell it
// was shown, made harmless, rather than dropped.
var hostile = []struct{ name, text string }{
	{"OSC window title ended by BEL", "\x1b]0;PWNED\a"},
	{"OSC window title ended by ST", "\x1b]2;PWNED\x1b\\"},
	{"OSC 8 hyperlink", "\x1b]8;;http://evil.example/\x1b\\PWNED\x1b]8;;\x1b\\"},
	{"CSI clear screen and home", "\x1b[2J\x1b[HPWNED"},
	{"CSI cursor up and erase line", "PWNED\x1b[1A\x1b[2K"},
	{"CSI colours", "\x1b[8mPWNED\x1b[0m"},
	{"8-bit CSI as UTF-8", "\u009b2J\u009bHPWNED"},
	{"8-bit OSC as UTF-8", "\u009d0;PWNED\u009c"},
	{"8-bit CSI as a raw byte", "\x9b2JPWNED"},
	{"BEL", "PWNED\a\a\a"},
	{"carriage return over a fake success", "PWNED\r✓ Logged in to Livestorm."},
	{"backspaces over a fake success", "PWNED\b\b\b\b\bok Logged in to Livestorm."},
	{"newline before a fake success", "PWNED\nok Logged in to Livestorm."},
	{"vertical tab and form feed", "PWNED\v\fok Logged in"},
	{"bidi override", "\u202ePWNED\u202c"},
	{"bidi isolate", "\u2067PWNED\u2069"},
	{"right-to-left mark", "\u200fPWNED"},
	{"zero-width space and BOM", "PWNED\u200b\ufeff"},
	{"line separator", "PWNED\u2028ok Logged in"},
	{"next line (C1)", "PWNED\u0085ok Logged in"},
	{"invalid UTF-8", "PWNED\xff\xfe\xc3"},
	{"NUL", "PWNED\x00"},
	{"DEL", "PWNED\x7f"},
	{"tag characters", "PWNED\U000e0041\U000e0042"},
}

// checkHarmless fails the test unless out is valid UTF-8 free of whatever
// a terminal would act on, or could use to show other text than is there:
// controls other than newline and tab, DEL, C1 controls, format characters
// such as bidi overrides, line and paragraph separators.
func checkHarmless(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s prints invalid UTF-8:\n%q", what, out)
		return
	}
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || 0x80 <= r && r <= 0x9f || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			t.Errorf("%s prints %U at byte %d:\n%q", what, r, i, out)
			return
		}
	}
}

// checkSuccessLines fails the test unless out has exactly want lines that
// report a success the way onair does, so that none was faked.
func checkSuccessLines(t *testing.T, what, out string, want int) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "✓ ") {
			n++
		}
	}
	if n != want {
		t.Errorf("%s prints %d lines that report a success, want %d:\n%s", what, n, want, out)
	}
}

// syncBuffer is a Buffer that one goroutine writes while another reads.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // receives after each Write, if nobody has yet
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.written <- struct{}{}:
	default:
	}
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// inProcess is onair run by this process, as main runs it, with an
// environment of its own: faster than the binary, for tables of runs.
type inProcess struct {
	stdout, stderr *syncBuffer
	code           chan int
}

func startInProcess(t *testing.T, env map[string]string, args ...string) *inProcess {
	t.Helper()
	p := &inProcess{stdout: newSyncBuffer(), stderr: newSyncBuffer(), code: make(chan int, 1)}
	a := newApp(strings.NewReader(""), p.stdout, p.stderr, func(k string) string { return env[k] })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.code <- a.main(ctx, args)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return p
}

// await returns the first submatch of re in stdout, waiting for it.
func (p *inProcess) await(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		if m := re.FindStringSubmatch(p.stdout.String()); m != nil {
			return m[len(m)-1]
		}
		select {
		case <-p.stdout.written:
		case <-timeout:
			t.Fatalf("onair did not print %v within 20s:\n%s", re, p.stdout)
		}
	}
}

func (p *inProcess) wait(t *testing.T) result {
	t.Helper()
	select {
	case code := <-p.code:
		return result{stdout: p.stdout.String(), stderr: p.stderr.String(), code: code}
	case <-time.After(60 * time.Second):
		t.Fatal("onair did not end within 60s")
		return result{}
	}
}

func runInProcess(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return startInProcess(t, env, args...).wait(t)
}

// tokenAnswer is how a hostile token endpoint answers: a status, a content
// type and a body.
type tokenAnswer struct {
	status      int
	contentType string
	body        string
}

// hostileAnswers are the token endpoint's answers that carry text into
// onair's output: errors in JSON and form encoding (which carries raw
// what JSON escapes), an answer that is no OAuth error at all, and a token
// whose every text field is hostile. ok says whether the answer is a
// token.
func hostileAnswers(text string) []struct {
	name   string
	answer tokenAnswer
	ok     bool
} {
	js := func(v map[string]any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	const form, jsonType = "application/x-www-form-urlencoded", "application/json"
	return []struct {
		name   string
		answer tokenAnswer
		ok     bool
	}{
		{"JSON error", tokenAnswer{400, jsonType, js(map[string]any{"error": "invalid_client", "error_description": text})}, false},
		{"JSON error code", tokenAnswer{400, jsonType, js(map[string]any{"error": "invalid_" + text})}, false},
		{"form error", tokenAnswer{400, form, url.Values{"error": {"invalid_" + text}, "error_description": {text}}.Encode()}, false},
		{"not OAuth", tokenAnswer{502, "text/plain", text}, false},
		{"JSON token", tokenAnswer{200, jsonType, js(map[string]any{"access_token": "at-" + text, "refresh_token": "rt-" + text, "token_type": "Bearer", "expires_in": 3600, "scope": text})}, true},
	}
}

// hostileServer is a provider whose token endpoint answers as told.
type hostileServer struct {
	*httptest.Server
	mu     sync.Mutex
	answer tokenAnswer
}

func newHostileServer(t *testing.T) *hostileServer {
	s := &hostileServer{answer: tokenAnswer{200, "application/json", `{"access_token":"at","refresh_token":"rt","token_type":"Bearer","expires_in":3600,"scope":"events:read"}`}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		a := s.answer
		s.mu.Unlock()
		w.Header().Set("Content-Type", a.contentType)
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *hostileServer) set(a tokenAnswer) {
	s.mu.Lock()
	s.answer = a
	s.mu.Unlock()
}

// checkRun checks one run of onair against hostile text: nothing in its
// output a terminal acts on, no success faked, exit status code, and
// stdout and stderr saying what happened.
func checkRun(t *testing.T, what string, r result, code int, successes int, says ...string) {
	t.Helper()
	checkHarmless(t, what+": stdout", r.stdout)
	checkHarmless(t, what+": stderr", r.stderr)
	checkSuccessLines(t, what, r.stdout+r.stderr, successes)
	if r.code != code {
		t.Errorf("%s: exit %d, want %d:\n%s", what, r.code, code, r)
	}
	for _, s := range says {
		if !strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("%s does not say %q:\n%s", what, s, r)
		}
	}
}

// TestHostileTokenEndpoint has a token endpoint answer hostile text in
// each way it can to "onair login" (client credentials) and "onair token
// --refresh", and reads the token back with "onair token".
func TestHostileTokenEndpoint(t *testing.T) {
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			srv := newHostileServer(t)
			// The configuration directory and the client ID are printed
			// too, and come from outside as well.
			env := map[string]string{
				"ONAIR_CONFIG_DIR":                filepath.Join(t.TempDir(), "config-"+strings.ReplaceAll(h.text, "\x00", "")),
				"ONAIR_STREAMDIVER_BASE_URL":      srv.URL,
				"ONAIR_STREAMDIVER_CLIENT_ID":     "app-" + h.text,
				"ONAIR_STREAMDIVER_CLIENT_SECRET": "secret",
				"ONAIR_STREAMDIVER_TENANT":        "acme",
			}
			for _, a := range hostileAnswers(h.text) {
				srv.set(a.answer)
				r := runInProcess(t, env, "login", "streamdiver")
				if !a.ok {
					checkRun(t, "login, "+a.name, r, 1, 0, "onair login: client credentials: ", "PWNED")
					continue
				}
				checkRun(t, "login, "+a.name, r, 0, 1, "Logged in to Streamdiver.", "granted  ", "PWNED")
				for _, args := range [][]string{{}, {"--show-secrets"}} {
					r := runInProcess(t, env, append([]string{"token", "streamdiver"}, args...)...)
					checkRun(t, fmt.Sprintf("token %v after %s", args, a.name), r, 0, 0, "Streamdiver token", "scopes", "PWNED")
				}
				checkTokenJSON(t, env, a.name)
			}
			for _, a := range hostileAnswers(h.text) {
				srv.set(a.answer)
				r := runInProcess(t, env, "token", "streamdiver", "--refresh")
				if !a.ok {
					checkRun(t, "token --refresh, "+a.name, r, 1, 0, "onair token: refreshing at "+srv.URL+": ", "PWNED")
					continue
				}
				checkRun(t, "token --refresh, "+a.name, r, 0, 1, "Refreshed the Streamdiver token.", "PWNED")
			}
		})
	}
}

// checkTokenJSON checks that "onair token --json" shows the stored token's
// hostile fields harmlessly and still as JSON that holds them.
func checkTokenJSON(t *testing.T, env map[string]string, what string) {
	t.Helper()
	r := runInProcess(t, env, "token", "streamdiver", "--json", "--show-secrets")
	checkRun(t, "token --json after "+what, r, 0, 0)
	var v tokenView
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("token --json after %s: %v\n%s", what, err, r)
	}
	if !strings.Contains(v.AccessToken, "PWNED") || !strings.Contains(strings.Join(v.Scopes, " "), "PWNED") {
		t.Errorf("token --json after %s: the access token %q and scopes %q lost the text", what, v.AccessToken, v.Scopes)
	}
}

// TestHostileAuthorizationResponse answers "onair login" with hostile text
// at the loopback redirect URL, as an authorization server's redirect (or
// anyone's page) can, and then from the token endpoint of the code flow.
func TestHostileAuthorizationResponse(t *testing.T) {
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			srv := newHostileServer(t)
			env := map[string]string{
				"ONAIR_CONFIG_DIR":              filepath.Join(t.TempDir(), "config"),
				"ONAIR_LIVESTORM_BASE_URL":      srv.URL,
				"ONAIR_LIVESTORM_CLIENT_ID":     "app",
				"ONAIR_LIVESTORM_CLIENT_SECRET": "secret",
			}
			// answer runs a login and answers at the redirect URL with
			// query, plus the login's state.
			answer := func(query url.Values) result {
				p := startInProcess(t, env, "login", "livestorm", "--no-browser")
				authURL, err := url.Parse(p.await(t, authURLPattern))
				if err != nil {
					t.Fatal(err)
				}
				query.Set("state", authURL.Query().Get("state"))
				res, err := http.Get(authURL.Query().Get("redirect_uri") + "?" + query.Encode())
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return p.wait(t)
			}
			r := answer(url.Values{"error": {"access_denied"}, "error_description": {h.text}})
			checkRun(t, "denied", r, 1, 0, "onair login: access denied")
			r = answer(url.Values{"error": {"server_error" + h.text}, "error_description": {h.text}})
			checkRun(t, "refused", r, 1, 0, "onair login: Livestorm refused the authorization: ", "PWNED")

			for _, a := range hostileAnswers(h.text) {
				srv.set(a.answer)
				r := answer(url.Values{"code": {"the-code"}})
				if !a.ok {
					checkRun(t, "exchange, "+a.name, r, 1, 0, "onair login: exchanging the code: ", "PWNED")
					continue
				}
				checkRun(t, "exchange, "+a.name, r, 0, 1, "Logged in to Livestorm.", "granted  ", "PWNED")
			}
		})
	}
}

// TestHostileArguments gives onair hostile text where it takes text from
// the command line or the environment and may echo it: a script or a
// pasted command line is outside onair too.
func TestHostileArguments(t *testing.T) {
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"ONAIR_CONFIG_DIR": filepath.Join(t.TempDir(), "config")}
			for _, tt := range []struct {
				args []string
				code int
				says string
			}{
				{[]string{"scopes", "livestorm", "--check", h.text}, 1, "onair scopes: "},
				{[]string{"scopes", "livestorm", "--check", "events:read," + h.text}, 1, "onair scopes: "},
				{[]string{"scopes", "livestorm", "--for", h.text}, 1, "onair scopes: "},
				{[]string{"scopes", h.text}, 2, "onair scopes: unknown provider"},
				{[]string{"login", "livestorm", "--scope", h.text}, 2, "onair login: --scope: "},
				{[]string{"token", "livestorm", h.text}, 2, "onair token: unexpected arguments"},
				{[]string{"demo", h.text}, 2, "onair demo: unexpected arguments"},
				{[]string{h.text}, 2, "onair: unknown command"},
				{[]string{"help", h.text}, 2, "onair help: unknown command"},
				{[]string{"login", "livestorm", "--" + h.text}, 2, "onair login: "},
			} {
				r := runInProcess(t, env, tt.args...)
				checkRun(t, fmt.Sprintf("%q", tt.args), r, tt.code, 0, tt.says, "PWNED")
			}
			// A base URL is refused if it does not parse; if it does, the
			// login prints the authorization URL made from it.
			base := "http://127.0.0.1:1/" + h.text
			args := []string{"login", "livestorm", "--base-url", base, "--client-id", "id", "--no-browser", "--timeout", "1ns"}
			r := runInProcess(t, env, args...)
			if _, err := url.Parse(base); err != nil {
				checkRun(t, fmt.Sprintf("%q", args), r, 2, 0, "onair login: the base URL", "PWNED")
			} else {
				checkRun(t, fmt.Sprintf("%q", args), r, 1, 0, "Open this URL in a browser:", "onair login: timed out", "PWNED")
			}
		})
	}
}

// TestHostileBinary runs the onair binary itself, as a shell would, with
// all the hostile text at once: the escaping is in the command's own
// output, not in how the tests run it.
func TestHostileBinary(t *testing.T) {
	var texts []string
	for _, h := range hostile {
		texts = append(texts, strings.ReplaceAll(h.text, "\x00", "")) // no NUL in an argument
	}
	all := strings.Join(texts, " | ")
	srv := newHostileServer(t)
	srv.set(hostileAnswers(all)[0].answer)
	env := environ(t, "ONAIR_STREAMDIVER_BASE_URL="+srv.URL, "ONAIR_STREAMDIVER_CLIENT_ID=app", "ONAIR_STREAMDIVER_CLIENT_SECRET=secret", "ONAIR_STREAMDIVER_TENANT=acme")
	r := onair(t, env, "login", "streamdiver")
	checkRun(t, "login", r, 1, 0, "onair login: client credentials: ", "PWNED")
	r = onair(t, env, "scopes", "livestorm", "--check", all)
	checkRun(t, "scopes --check", r, 1, 0, "onair scopes: ", "PWNED")
}
