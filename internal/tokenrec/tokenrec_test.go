package tokenrec

import (
	"errors"
	"strings"
	"testing"
)

// A record that cannot be read is reported without quoting it: it may
// hold a token.
func TestUnmarshalRejects(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"not JSON", "refresh-secret-123"},
		{"wrong type", `{"v":1,"access_token":12345}`},
		{"other version", `{"v":2,"access_token":"secret-at"}`},
		{"no token", `{"v":1,"token_type":"Bearer"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unmarshal([]byte(tc.in))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "12345") {
				t.Errorf("the error quotes the record: %v", err)
			}
		})
	}
}

func TestPackRefusesMixedSealing(t *testing.T) {
	if _, err := Unpack(nil, "k", "key-1", []byte("x")); err == nil || !strings.Contains(err.Error(), "key-1") {
		t.Errorf("a sealed record read without a sealer: err = %v", err)
	}
}
