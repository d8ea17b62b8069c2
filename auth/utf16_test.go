package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/internal/redact"
)

// A token endpoint's UTF-16 answer shows neither known secrets nor
// secret-named parameters in the error, not even spread apart.
func TestDecodeTokenUTF16(t *testing.T) {
	var red redact.Set
	red.Add("CLIENT-SECRET-abc123", "CODE-xyz789", "VERIFIER-qqq")
	hidden := []string{"CLIENT-SECRET-abc123", "CODE-xyz789", "VERIFIER-qqq", "unknown-refresh-42"}
	for _, text := range []string{
		"bad request client_secret=CLIENT-SECRET-abc123&code=CODE-xyz789&code_verifier=VERIFIER-qqq",
		"<html><body>refresh_token=unknown-refresh-42 rejected</body></html>",
		"we got CLIENT-SECRET-abc123 and CODE-xyz789 and VERIFIER-qqq",
	} {
		for _, bigEndian := range []bool{false, true} {
			for _, bom := range []bool{true, false} {
				for _, ct := range []string{"text/plain; charset=utf-16", "text/html"} {
					_, err := decodeToken(400, ct, leaktest.UTF16(text, bigEndian, bom), &Endpoint{}, "", time.Now(), &red)
					if err == nil {
						t.Fatalf("%q: no error", text)
					}
					msg := err.Error()
					joined := strings.NewReplacer(" ", "", "\x00", "").Replace(msg)
					for _, h := range hidden {
						if strings.Contains(joined, h) {
							t.Errorf("big endian %v, BOM %v, %s: error shows %q: %s", bigEndian, bom, ct, h, msg)
						}
					}
					if !strings.Contains(msg, redact.Mark) {
						t.Errorf("big endian %v, BOM %v, %s: error %q shows no %s", bigEndian, bom, ct, msg, redact.Mark)
					}
				}
			}
		}
	}
}

func TestExcerptUTF16(t *testing.T) {
	const text = "invalid client, try again"
	for _, bigEndian := range []bool{false, true} {
		for _, bom := range []bool{true, false} {
			if got := excerpt(leaktest.UTF16(text, bigEndian, bom), 120); got != text {
				t.Errorf("big endian %v, BOM %v: excerpt = %q, want %q", bigEndian, bom, got, text)
			}
		}
	}
}
