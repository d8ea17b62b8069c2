// Package loopback receives an OAuth 2.0 authorization response at a
// loopback redirect URL, the way RFC 8252 §7.3 tells native apps to: a
// listener on 127.0.0.1, on a port the system picks, open only while one
// authorization is in flight.
//
// A Receiver serves exactly one path, checks the response's state against
// the request's, answers the browser with a small page that loads nothing
// and sends no referrer, and hands the code (or the provider's error) to
// Wait. It then stops listening.
package loopback

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Path is the path of every redirect URL a Receiver serves.
const Path = "/callback"

// ErrStateMismatch reports an authorization response whose state is not the
// one the request carried: it was not caused by this login, and may be
// forged (RFC 6749 §10.12), so the login ends.
var ErrStateMismatch = errors.New("the authorization response's state does not match the request's")

// An AuthError is the error an authorization server sent to the redirect
// URL instead of a code (RFC 6749 §4.1.2.1), such as access_denied.
type AuthError struct {
	Code        string
	Description string // cleaned of control characters, at most 200 runes
}

func (e *AuthError) Error() string {
	if e.Description == "" {
		return "authorization failed: " + e.Code
	}
	return "authorization failed: " + e.Code + ": " + e.Description
}

// Denied reports whether the user refused on the consent page.
func (e *AuthError) Denied() bool { return e.Code == "access_denied" }

// A Receiver listens on a loopback port for one authorization response.
type Receiver struct {
	ln       net.Listener
	host     string // "127.0.0.1:port", the only Host header served
	provider string
}

// Listen binds 127.0.0.1:port; port 0 lets the system pick a free one.
// provider names the provider on the page the browser lands on.
func Listen(port int, provider string) (*Receiver, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("loopback: port %d is out of range", port)
	}
	// 127.0.0.1 rather than localhost: RFC 8252 §8.3, a name may resolve to
	// something else, and a firewall may treat it differently.
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("loopback: %w", err)
	}
	return &Receiver{ln: ln, host: ln.Addr().String(), provider: provider}, nil
}

// RedirectURL returns the redirect URL to put in the authorization
// request, such as http://127.0.0.1:49152/callback.
func (r *Receiver) RedirectURL() string { return "http://" + r.host + Path }

// Close stops listening. Wait closes the listener itself; Close is for a
// login that ends before it waits.
func (r *Receiver) Close() error { return r.ln.Close() }

// result is what the redirect brought.
type result struct {
	code string
	err  error
}

// Wait serves the redirect URL until the authorization response for state
// arrives, and returns its code. It returns an *AuthError when the
// response carries an error, an error wrapping ErrStateMismatch when its
// state is wrong, and ctx's error when ctx ends first. Either way the
// listener is closed when Wait returns, after the browser has had its page.
func (r *Receiver) Wait(ctx context.Context, state string) (string, error) {
	if state == "" {
		r.ln.Close()
		return "", errors.New("loopback: the state is empty")
	}
	done := make(chan result, 1)
	var once sync.Once
	finish := func(res result) { once.Do(func() { done <- res }) }

	srv := &http.Server{
		Handler:           r.handler(state, finish),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(r.ln)

	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		res = result{err: fmt.Errorf("loopback: waiting for the authorization response: %w", ctx.Err())}
	}
	// Shutdown lets the handler that finished the login deliver its page.
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	return res.code, res.err
}

func (r *Receiver) handler(state string, finish func(result)) http.Handler {
	var mu sync.Mutex
	finished := false
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// A page of another origin that a rebinding DNS name points here
		// arrives with its own Host; it gets nothing and ends nothing.
		if req.Host != r.host {
			http.Error(w, "wrong host", http.StatusMisdirectedRequest)
			return
		}
		if req.URL.Path != Path {
			http.NotFound(w, req)
			return
		}
		if req.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		mu.Lock()
		already := finished
		finished = true
		mu.Unlock()
		if already {
			page(w, http.StatusConflict, "This login has already ended", "Return to the terminal.")
			return
		}

		q := req.URL.Query()
		got := q.Get("state")
		switch {
		case subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1:
			page(w, http.StatusBadRequest, "Login stopped",
				"The answer that reached this page does not belong to the login running in your terminal (its state does not match), so the login has stopped. Start it again from the terminal.")
			finish(result{err: fmt.Errorf("loopback: %w", ErrStateMismatch)})
		case q.Get("error") != "":
			e := &AuthError{Code: clean(q.Get("error"), 64), Description: clean(q.Get("error_description"), 200)}
			msg := r.provider + " did not authorize the login (" + e.Code + "). Return to the terminal."
			if e.Denied() {
				msg = "You denied access on " + r.provider + "'s consent page, so nothing was stored. Return to the terminal."
			}
			page(w, http.StatusOK, "Login not authorized", msg)
			finish(result{err: e})
		case q.Get("code") == "":
			page(w, http.StatusBadRequest, "Login stopped", "The answer carries neither a code nor an error. Return to the terminal.")
			finish(result{err: errors.New("loopback: the authorization response carries neither a code nor an error")})
		default:
			page(w, http.StatusOK, "Login received", "onair has the answer from "+r.provider+". You can close this tab and return to the terminal.")
			finish(result{code: q.Get("code")})
		}
	})
}

// clean makes text from the query safe to print on a terminal: no control
// characters (an escape sequence could rewrite the screen), and short.
func clean(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
