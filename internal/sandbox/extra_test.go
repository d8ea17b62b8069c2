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

// closingHandler answers the user of the token in X-Token, looked up by
// sandbox.Authenticate, and records Close.
type closingHandler struct{ closed atomic.Int32 }

func (h *closingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

func (h *closingHandler) Close() error {
	h.closed.Add(1)
	return nil
}

// Provider.Extra serves a path outside the spec, without the engine's
// checks; Authenticate looks a token up by the dialect's rules; Close
// closes the handler.
func TestExtra(t *testing.T) {
	spec, err := sandbox.LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	if err != nil {
		t.Fatal(err)
	}
	h := new(closingHandler)
	s, err := sandbox.New(sandbox.Provider{
		Dialect: livepushtest.Dialect(), Endpoint: livepush.Endpoint, User: "u1", Spec: spec, API: http.NotFoundHandler(),
		Error:  func(w http.ResponseWriter, status int, code, msg string) { http.Error(w, code, status) },
		Covers: writeCoversRead,
		Extra:  map[string]http.Handler{"/extra": h},
	}, sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	if s.Extra("/extra") != h || s.Extra("/other") != nil {
		t.Errorf("Extra does not return the provider's handlers")
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
	if n := h.closed.Load(); n != 1 {
		t.Errorf("Close closed the extra handler %d times, want 1", n)
	}
}
