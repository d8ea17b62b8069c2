package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkEngine measures the engine alone, without a network: one
// valid GET through every check to a handler answering a fixed list.
func BenchmarkEngine(b *testing.B) {
	spec, err := LoadSpec("livepush", func() (*openapi3.T, error) {
		return openapi3.NewLoader().LoadFromFile("../../specs/livepush.yaml")
	})
	if err != nil {
		b.Fatal(err)
	}
	const list = `[{"id":"zn_1","name":"EU","category":"default","host":"eu.example","isPublic":true,"isDefault":false}]`
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, list)
	})
	s, err := New(Provider{Dialect: authserver.Derive[scopes.Livepush](livepush.Endpoint, authserver.Dialect{RefreshTokens: true}), Endpoint: livepush.Endpoint, User: "u1", Spec: spec, API: api,
		Error:  func(w http.ResponseWriter, status int, _, msg string) { http.Error(w, msg, status) },
		Covers: func(granted []string, need string) bool { return exactly(granted, need) }}, Config{})
	if err != nil {
		b.Fatal(err)
	}
	h := s.http.Config.Handler
	req := httptest.NewRequest("GET", "/regions", nil)
	req.Header.Set("Authorization", "Bearer "+s.IssueToken("regions.read").AccessToken)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
