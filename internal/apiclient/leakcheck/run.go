package leakcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
)

// Provider is how Run calls one provider's typed client.
type Provider struct {
	// Call builds the provider's client on src, sending to baseURL, and
	// makes one call whose answer is an error.
	Call func(ctx context.Context, src oauth2.TokenSource, baseURL string) error
	// JSON returns the provider's error body with msg in every field of
	// it that the error's text shows (message, detail...). msg is safe
	// inside a JSON string.
	JSON func(msg string) string
	// Status returns the HTTP status the provider's typed error in err
	// holds, false when err holds none.
	Status func(err error) (int, bool)
	// More lists statuses other than the usual error statuses whose
	// answer with a JSON error body is an error too (DLive's 200 with
	// GraphQL errors).
	More []int
}

// The tokens Run's source hands out: the first is refused with a 401
// invalid_token, the second replaces it.
const (
	staleToken   = "AT.st4le-Kq9/w+Zr7x=Pv2mN"
	freshToken   = "AT.fr3sh-Lp8/y+Ws6t=Qb1cD"
	refreshToken = "RT.r3fr-Hm5/u+Tn4e=Jk0aZ"
)

// Run fails t when an error answer of p's API, echoing the token the
// request carried (and the refresh token) in any Form, in a text or JSON
// body or in its headers, under any error status, reaches the error's
// text, the text of an error in its chain or slog's output; or when the
// error's text is not one line of valid UTF-8 (multi-byte runes around
// the excerpt's cut, newlines and terminal escapes in the provider's
// message fields).
func Run(t *testing.T, p Provider) {
	t.Helper()
	for _, status := range append([]int{400, 401, 403, 404, 429, 500, 503}, p.More...) {
		kinds := []string{"text", "JSON", "headers"}
		if status/100 == 2 {
			kinds = kinds[1:] // a 2xx text body is no error of the provider's
		}
		for _, form := range Forms() {
			for _, kind := range kinds {
				name := fmt.Sprintf("%d/%s/%s", status, kind, form.Name)
				say := func(cred string) (string, http.Header) {
					// The token follows its header's name once, and stands
					// alone once: a redactor that knows secret names but
					// not the token would miss it.
					msg := "rejected " + form.Encode(cred) + " (" + form.Encode(refreshToken) + "); " +
						"Authorization: Bearer " + form.Encode(cred)
					h := http.Header{}
					switch kind {
					case "text":
						h.Set("Content-Type", "text/plain")
						return msg, h
					case "headers":
						for _, k := range []string{"Authorization", "Proxy-Authorization", "X-Echo-Authorization", "Set-Cookie", "Location", "Link"} {
							h.Set(k, msg)
						}
						msg = "rejected"
					}
					h.Set("Content-Type", "application/json")
					return p.JSON(msg), h
				}
				t.Run(name, func(t *testing.T) { check(t, p, status, form, say) })
			}
		}
	}
	t.Run("403 insufficient_scope", func(t *testing.T) {
		for _, form := range Forms() {
			err := call(t, p, func(w http.ResponseWriter, r *http.Request) {
				echo := form.Encode(Credentials(r.Header.Get("Authorization")))
				w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="events:write `+echo+`", error_description="rejected `+echo+`"`)
				w.Header().Set("X-Echo", echo)
				w.Header().Set("Authorization", "Bearer "+echo)
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, p.JSON("rejected "+echo))
			})
			if !errors.Is(err, scopes.ErrNotGranted) {
				t.Errorf("%s: %v does not match scopes.ErrNotGranted", form.Name, err)
			}
			expect(t, form.Name, err, secrets(form)...)
		}
	})
	t.Run("excerpt cut", func(t *testing.T) {
		// Runes of 2, 3 and 4 bytes, and a token, at every offset around
		// the cut of a long text body.
		for pad := 150; pad <= 260; pad++ {
			var body string
			err := call(t, p, func(w http.ResponseWriter, r *http.Request) {
				cred := Credentials(r.Header.Get("Authorization"))
				body = strings.Repeat("x", pad) + "é日🎉 " + cred + " é日🎉 " + strings.Repeat("ü", 100)
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, body)
			})
			// A secret cut at the excerpt's end must not leave its start.
			expect(t, fmt.Sprint("pad ", pad), err, staleToken[:len(staleToken)/2], freshToken[:len(freshToken)/2])
		}
	})
	t.Run("message fields", func(t *testing.T) {
		for _, msg := range []string{
			`first line\nsecond line\r\nthird`,
			`\u001b]0;retitled\u0007\u001b[2J\u001b[HLogin OK`,
			`\u202eevil\u202c \u0000 \u0085 \u2028 tab\there`,
			strings.Repeat(`long message é日🎉 `, 400),
			`\ud800 lone surrogate`,
		} {
			err := call(t, p, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, p.JSON(msg))
			})
			expect(t, msg, err)
			if n := len(err.Error()); n > 2048 {
				t.Errorf("%.40q: the error's text is %d bytes long, want a bounded excerpt", msg, n)
			}
		}
	})
}

// check makes one call whose answer, status, says what say returns.
func check(t *testing.T, p Provider, status int, form Form, say func(cred string) (string, http.Header)) {
	err := call(t, p, func(w http.ResponseWriter, r *http.Request) {
		body, h := say(Credentials(r.Header.Get("Authorization")))
		for k, v := range h {
			w.Header()[k] = v
		}
		switch status {
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="expired"`)
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			w.Header().Set("Retry-After", "0")
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
	if got, ok := p.Status(err); !ok || got != status {
		t.Errorf("err = %v: want the provider's error for HTTP %d", err, status)
	}
	expect(t, "", err, secrets(form)...)
}

// call runs p.Call against a server that answers with answer.
func call(t *testing.T, p Provider, answer http.HandlerFunc) error {
	t.Helper()
	srv := httptest.NewServer(answer)
	defer srv.Close()
	src := NewSource(
		&oauth2.Token{AccessToken: staleToken, RefreshToken: refreshToken, Expiry: time.Now().Add(time.Hour)},
		&oauth2.Token{AccessToken: freshToken, RefreshToken: refreshToken, Expiry: time.Now().Add(time.Hour)},
	)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := p.Call(ctx, src, srv.URL)
	if err == nil {
		t.Fatal("the call succeeded; want the answer's error")
	}
	return err
}

// secrets returns the tokens, as sent and in form.
func secrets(form Form) []string {
	var all []string
	for _, s := range []string{staleToken, freshToken, refreshToken} {
		all = append(all, s, form.Encode(s))
	}
	return all
}

func expect(t *testing.T, what string, err error, secrets ...string) {
	t.Helper()
	if where := Leak(err, secrets...); where != "" {
		t.Errorf("%s: a secret leaks: %s", what, where)
	}
	if why := Line(err); why != "" {
		t.Errorf("%s: not one line: %s", what, why)
	}
}
