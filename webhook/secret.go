package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
)

// SecretEqual reports whether got, a secret read from a request, equals
// want, in time that depends on neither's content nor on where they differ.
// Both are hashed first, so that their lengths do not show in the time of
// the comparison either (crypto/subtle alone returns early on unequal
// lengths). An empty want matches nothing, so that a receiver configured
// without a secret refuses every delivery.
func SecretEqual(got, want string) bool {
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1 && want != ""
}
