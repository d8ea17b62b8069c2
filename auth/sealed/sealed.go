// Package sealed encrypts token records at rest with AES-256-GCM.
//
// A [Keyring] holds named keys, one of them current. Records are sealed
// with the current key, and the key's ID is stored beside each record, so
// that keys can rotate: add a new key, make it current, and keep the old
// one in the keyring until every record sealed with it has been saved again
// (each refresh saves its record). The stores of auth/filestore and
// auth/sqlstore take a Sealer with their Sealed option.
//
// The stores pass the record's key (the user ID) as additional data, so a
// sealed record copied to another user's key fails to open.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"regexp"
)

// A Sealer encrypts and authenticates records. Keyring is the one this
// package provides; a key-management service can be another.
type Sealer interface {
	// Seal encrypts plaintext and authenticates it with additionalData,
	// and returns the ID of the key it used.
	Seal(plaintext, additionalData []byte) (keyID string, sealed []byte, err error)
	// Open reverses Seal, with the key named keyID.
	Open(keyID string, sealed, additionalData []byte) ([]byte, error)
}

var (
	// ErrUnknownKey means a record names a key that the keyring lacks: a
	// key was removed before every record had moved to a newer one.
	ErrUnknownKey = errors.New("sealed: unknown key ID")
	// ErrOpen means a record failed authentication: the key is wrong, the
	// record was altered, or it was moved to another record's key.
	ErrOpen = errors.New("sealed: the record failed authentication")
)

// KeySize is the size of an AES-256 key in bytes.
const KeySize = 32

// validID keeps key IDs printable and short, since they are stored in
// clear beside each record and appear in errors.
var validID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// Keyring seals with its current key and opens with any of its keys. It is
// safe for concurrent use.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// NewKeyring returns a keyring of keys, by ID, that seals with the key
// named current. Each key must be KeySize random bytes (crypto/rand.Read
// makes one); IDs are 1 to 64 letters, digits, '.', '_', ':' or '-'. The
// key bytes are copied.
func NewKeyring(current string, keys map[string][]byte) (*Keyring, error) {
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("sealed: the current key %q is not among the keys", current)
	}
	k := &Keyring{current: current, aeads: make(map[string]cipher.AEAD, len(keys))}
	for id, key := range keys {
		if !validID.MatchString(id) {
			return nil, fmt.Errorf("sealed: key ID %q: use 1 to 64 letters, digits, '.', '_', ':' or '-'", id)
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("sealed: key %q is %d bytes, want %d (AES-256)", id, len(key), KeySize)
		}
		block, err := aes.NewCipher(append([]byte(nil), key...))
		if err != nil {
			return nil, fmt.Errorf("sealed: key %q: %w", id, err)
		}
		// A random 96-bit nonce per record: safe for far more records
		// than a token store writes under one key.
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("sealed: key %q: %w", id, err)
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// Current returns the ID of the key that Seal uses.
func (k *Keyring) Current() string { return k.current }

// Seal encrypts plaintext with the current key.
func (k *Keyring) Seal(plaintext, additionalData []byte) (string, []byte, error) {
	return k.current, k.aeads[k.current].Seal(nil, nil, plaintext, additionalData), nil
}

// Open decrypts a record sealed with the key named keyID.
func (k *Keyring) Open(keyID string, sealed, additionalData []byte) ([]byte, error) {
	aead, ok := k.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, keyID)
	}
	out, err := aead.Open(nil, nil, sealed, additionalData)
	if err != nil {
		return nil, fmt.Errorf("%w (key %q)", ErrOpen, keyID)
	}
	return out, nil
}
