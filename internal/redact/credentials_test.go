package redact

import (
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCredentials(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("app:s%2Fecret"))
	tests := []struct {
		in   string
		want []string
	}{
		{"Bearer tok-123", []string{"tok-123"}},
		{"  tok-bare  ", []string{"tok-bare"}},
		{"Basic " + basic, []string{basic, "s%2Fecret", "s/ecret"}},
		{"basic not-base64!", []string{"not-base64!"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Credentials(tt.in)); diff != "" {
			t.Errorf("Credentials(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
