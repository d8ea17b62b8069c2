package webhook

import (
	"strings"
	"testing"
)

func TestSecretEqual(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		equal     bool
	}{
		{"equal", "s3cret-value", "s3cret-value", true},
		{"differs at the end", "s3cret-valuf", "s3cret-value", false},
		{"differs at the start", "t3cret-value", "s3cret-value", false},
		{"prefix", "s3cret", "s3cret-value", false},
		{"longer", "s3cret-value-and-more", "s3cret-value", false},
		{"empty got", "", "s3cret-value", false},
		{"empty want refuses everything", "", "", false},
		{"case matters", "S3CRET-VALUE", "s3cret-value", false},
		{"long", strings.Repeat("x", 4096), strings.Repeat("x", 4096), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SecretEqual(tt.got, tt.want); got != tt.equal {
				t.Errorf("SecretEqual = %v; want %v", got, tt.equal)
			}
		})
	}
}
