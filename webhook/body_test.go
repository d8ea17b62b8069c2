package webhook

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// brokenBody fails every read.
type brokenBody struct{}

func (brokenBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestReadBody(t *testing.T) {
	tests := []struct {
		name       string
		body       io.Reader
		limit      int64
		wantBody   string
		wantStatus int // 0: ReadBody must not answer
	}{
		{"under the limit", strings.NewReader("hello"), 10, "hello", 0},
		{"at the limit", strings.NewReader("0123456789"), 10, "0123456789", 0},
		{"over the limit", strings.NewReader("0123456789A"), 10, "", http.StatusRequestEntityTooLarge},
		{"empty", strings.NewReader(""), 10, "", 0},
		{"default limit", strings.NewReader(strings.Repeat("x", DefaultBodyLimit)), 0, strings.Repeat("x", DefaultBodyLimit), 0},
		{"over the default limit", strings.NewReader(strings.Repeat("x", DefaultBodyLimit+1)), 0, "", http.StatusRequestEntityTooLarge},
		{"broken read", brokenBody{}, 10, "", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/", tt.body)
			body, err := ReadBody(w, r, tt.limit)
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("ReadBody: %v", err)
				}
				if diff := cmp.Diff(tt.wantBody, string(body)); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				if w.Body.Len() != 0 || w.Code != http.StatusOK {
					t.Errorf("ReadBody answered %d %q on success; want no answer", w.Code, w.Body)
				}
				return
			}
			if err == nil {
				t.Fatal("ReadBody succeeded; want an error")
			}
			if w.Code != tt.wantStatus {
				t.Errorf("answered %d; want %d", w.Code, tt.wantStatus)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines; want one", err)
			}
		})
	}
}
