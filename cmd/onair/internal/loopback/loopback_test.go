package loopback

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// answer is what the browser saw.
type answer struct {
	Status int
	Header map[string]string // the headers the page must carry
	Body   string            // an excerpt the page must contain
}

var pageHeaders = map[string]string{
	"Referrer-Policy": "no-referrer",
	"Cache-Control":   "no-store",
	"Content-Type":    "text/html; charset=utf-8",
}

func get(t *testing.T, rawURL, host string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	a := answer{Status: res.StatusCode, Header: map[string]string{}, Body: string(body)}
	for k := range pageHeaders {
		if v := res.Header.Get(k); v != "" {
			a.Header[k] = v
		}
	}
	return a
}

func TestWait(t *testing.T) {
	const state = "st4te-Fresh"
	tests := []struct {
		name     string
		query    url.Values
		wantCode string
		wantErr  error // matched with errors.Is, or compared for *AuthError
		status   int
		page     string
	}{
		{
			name:     "code",
			query:    url.Values{"code": {"c0de"}, "state": {state}},
			wantCode: "c0de", status: 200, page: "You can close this tab",
		},
		{
			name:    "wrong state",
			query:   url.Values{"code": {"c0de"}, "state": {"other"}},
			wantErr: ErrStateMismatch, status: 400, page: "state does not match",
		},
		{
			name:    "no state",
			query:   url.Values{"code": {"c0de"}},
			wantErr: ErrStateMismatch, status: 400, page: "Login stopped",
		},
		{
			name:    "denied",
			query:   url.Values{"error": {"access_denied"}, "error_description": {"the user denied access"}, "state": {state}},
			wantErr: &AuthError{Code: "access_denied", Description: "the user denied access"}, status: 200, page: "You denied access on Livestorm",
		},
		{
			name:    "other error, description with an escape sequence",
			query:   url.Values{"error": {"invalid_scope"}, "error_description": {"bad\x1b[2Jscope\n"}, "state": {state}},
			wantErr: &AuthError{Code: "invalid_scope", Description: "bad[2Jscope"}, status: 200, page: "did not authorize the login (invalid_scope)",
		},
		{
			name:    "neither code nor error",
			query:   url.Values{"state": {state}},
			wantErr: errors.New("loopback: the authorization response carries neither a code nor an error"), status: 400, page: "neither a code nor an error",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Listen(0, "Livestorm")
			if err != nil {
				t.Fatal(err)
			}
			type waited struct {
				code string
				err  error
			}
			ch := make(chan waited, 1)
			go func() {
				code, err := r.Wait(t.Context(), state)
				ch <- waited{code, err}
			}()
			got := get(t, r.RedirectURL()+"?"+tt.query.Encode(), "")
			w := <-ch

			if diff := cmp.Diff(pageHeaders, got.Header); diff != "" {
				t.Errorf("page headers (-want +got):\n%s", diff)
			}
			if got.Status != tt.status || !strings.Contains(got.Body, tt.page) {
				t.Errorf("page: %d %q, want %d containing %q", got.Status, got.Body, tt.status, tt.page)
			}
			if w.code != tt.wantCode {
				t.Errorf("code %q, want %q", w.code, tt.wantCode)
			}
			var wantAuth *AuthError
			switch {
			case tt.wantErr == nil:
				if w.err != nil {
					t.Errorf("err %v, want none", w.err)
				}
			case errors.As(tt.wantErr, &wantAuth):
				var gotAuth *AuthError
				if !errors.As(w.err, &gotAuth) {
					t.Fatalf("err %v, want an *AuthError", w.err)
				}
				if diff := cmp.Diff(wantAuth, gotAuth); diff != "" {
					t.Errorf("AuthError (-want +got):\n%s", diff)
				}
			case errors.Is(tt.wantErr, ErrStateMismatch):
				if !errors.Is(w.err, ErrStateMismatch) {
					t.Errorf("err %v, want ErrStateMismatch", w.err)
				}
			default:
				if w.err == nil || w.err.Error() != tt.wantErr.Error() {
					t.Errorf("err %v, want %v", w.err, tt.wantErr)
				}
			}
			assertClosed(t, r)
		})
	}
}

// TestStrays checks that requests which are not the authorization response
// are refused without ending the login.
func TestStrays(t *testing.T) {
	r, err := Listen(0, "DLive")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + r.host
	ch := make(chan string, 1)
	go func() {
		code, _ := r.Wait(t.Context(), "s")
		ch <- code
	}()
	for _, tt := range []struct {
		name, url, host string
		status          int
	}{
		{"favicon", base + "/favicon.ico", "", 404},
		{"rebinding host", base + Path + "?code=c&state=s", "attacker.example:80", 421},
		{"localhost name", base + Path + "?code=c&state=s", "localhost:" + strconv.Itoa(r.ln.Addr().(*net.TCPAddr).Port), 421},
	} {
		if got := get(t, tt.url, tt.host); got.Status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, got.Status, tt.status)
		}
	}
	res, err := http.Post(r.RedirectURL(), "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", res.StatusCode)
	}
	get(t, r.RedirectURL()+"?code=real&state=s", "")
	if code := <-ch; code != "real" {
		t.Errorf("code %q, want %q", code, "real")
	}
}

func TestWaitTimeout(t *testing.T) {
	r, err := Listen(0, "Livepush")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = r.Wait(ctx, "s")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want context.DeadlineExceeded", err)
	}
	assertClosed(t, r)
}

func TestRedirectURL(t *testing.T) {
	r, err := Listen(0, "Livepush")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	u, err := url.Parse(r.RedirectURL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "0" || u.Port() == "" || u.Path != Path {
		t.Errorf("RedirectURL %q: want http://127.0.0.1:<ephemeral port>%s", u, Path)
	}
	if _, err := Listen(-1, "x"); err == nil {
		t.Error("Listen(-1): no error")
	}
}

// assertClosed checks that the port is no longer listening.
func assertClosed(t *testing.T, r *Receiver) {
	t.Helper()
	c, err := net.DialTimeout("tcp", r.host, time.Second)
	if err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Wait", r.host)
	}
}
