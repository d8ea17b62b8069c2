package sealed_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"

	"github.com/onair-go/onair/auth/sealed"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, sealed.KeySize) }

func TestSealOpen(t *testing.T) {
	k, err := sealed.NewKeyring("new", map[string][]byte{"old": key(1), "new": key(2)})
	if err != nil {
		t.Fatal(err)
	}
	id, box, err := k.Seal([]byte("token record"), []byte("user-1"))
	if err != nil || id != "new" {
		t.Fatalf("Seal: %q %v, want key new", id, err)
	}
	if bytes.Contains(box, []byte("token record")) {
		t.Fatal("the sealed record holds the plaintext")
	}
	_, box2, _ := k.Seal([]byte("token record"), []byte("user-1"))
	if bytes.Equal(box, box2) {
		t.Error("two seals of one record are equal: the nonce is not random")
	}
	tampered := bytes.Clone(box)
	tampered[len(tampered)-1] ^= 1
	for _, tc := range []struct {
		name   string
		id     string
		box    []byte
		ad     string
		want   error
		wantOK bool
	}{
		{name: "opens", id: "new", box: box, ad: "user-1", wantOK: true},
		{name: "other record's key", id: "new", box: box, ad: "user-2", want: sealed.ErrOpen},
		{name: "altered", id: "new", box: tampered, ad: "user-1", want: sealed.ErrOpen},
		{name: "wrong key", id: "old", box: box, ad: "user-1", want: sealed.ErrOpen},
		{name: "unknown key", id: "gone", box: box, ad: "user-1", want: sealed.ErrUnknownKey},
		{name: "too short", id: "new", box: box[:5], ad: "user-1", want: sealed.ErrOpen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := k.Open(tc.id, tc.box, []byte(tc.ad))
			if tc.wantOK {
				if err != nil || string(got) != "token record" {
					t.Fatalf("Open = %q, %v", got, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestNewKeyringRejects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		current string
		keys    map[string][]byte
	}{
		{"current missing", "b", map[string][]byte{"a": key(1)}},
		{"short key", "a", map[string][]byte{"a": key(1)[:16]}},
		{"bad ID", "a b", map[string][]byte{"a b": key(1)}},
		{"empty ID", "", map[string][]byte{"": key(1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sealed.NewKeyring(tc.current, tc.keys)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), string(key(1)[:4])) {
				t.Errorf("the error quotes key bytes: %v", err)
			}
		})
	}
}

// Rotation: seal with a new key while records sealed with the old one
// still open; drop the old key once every record has been saved again.
func ExampleNewKeyring() {
	k2026 := make([]byte, sealed.KeySize) // from your secret manager
	k2027 := make([]byte, sealed.KeySize)
	rand.Read(k2026)
	rand.Read(k2027)
	keys, err := sealed.NewKeyring("2027", map[string][]byte{"2026": k2026, "2027": k2027})
	if err != nil {
		log.Fatal(err)
	}
	id, box, _ := keys.Seal([]byte(`{"access_token":"…"}`), []byte("user-42"))
	plain, err := keys.Open(id, box, []byte("user-42"))
	fmt.Println(id, string(plain), err)
	// Output: 2027 {"access_token":"…"} <nil>
}
