package sandbox_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
)

// tokenHandler answers the user of the token in X-Token, looked up by
// sandbox.Authenticate.
type tokenHandler struct{}

func (tokenHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g, err := sandbox.Authenticate(r.Context(), r.Header.Get("X-Token"))
	switch {
	case errors.Is(err, authserver.ErrNoToken):
		io.WriteString(w, "no token")
	case errors.Is(err, authserver.ErrInvalidToken):
		io.WriteString(w, "invalid")
	case err != nil:
		io.WriteString(w, err.Error())
	default:
		io.WriteString(w, "user "+g.User)
	}
}

// Provider.Paths serves a path outside the spec, without the engine's
// checks; Authenticate looks a token up by the dialect's rules; Close runs
// Provider.Close once, and State returns Provider.State.
func TestPaths(t *testing.T) {
	spec, err := sandbox.LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	if err != nil {
		t.Fatal(err)
	}
	var closed atomic.Int32
	state := new(int)
	s, err := sandbox.New(sandbox.Provider{
		Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, User: "u1", Spec: spec, API: http.NotFoundHandler(),
		Error:  func(w http.ResponseWriter, status int, code, msg string) { http.Error(w, code, status) },
		Covers: writeCoversRead,
		Paths:  map[string]http.Handler{"/extra": tokenHandler{}},
		State:  state,
		Close:  func() { closed.Add(1) },
	}, sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	if s.State() != any(state) {
		t.Errorf("State does not return the provider's state")
	}
	live := s.IssueToken().AccessToken
	revoked := s.IssueToken().AccessToken
	s.RevokeToken(revoked)
	for _, tc := range []struct{ token, want string }{
		{"", "no token"},
		{"Bearer " + live, "user u1"}, // Livepush takes the token after its scheme
		{live, "invalid"},
		{"Bearer " + revoked, "invalid"},
	} {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/extra", nil)
		req.Header.Set("X-Token", tc.token)
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := strings.TrimSpace(string(body)); resp.StatusCode != http.StatusOK || got != tc.want {
			t.Errorf("token %q: %d %q, want 200 %q", strings.ReplaceAll(tc.token, live, "<live>"), resp.StatusCode, got, tc.want)
		}
	}
	s.Close()
	if n := closed.Load(); n != 1 {
		t.Errorf("Close ran Provider.Close %d times, want 1", n)
	}
}
