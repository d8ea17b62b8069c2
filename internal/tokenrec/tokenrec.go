// Package tokenrec is the stored form of a token, shared by the stores of
// auth: a versioned JSON record, optionally sealed with a key named beside
// it.
//
// x/oauth2 does not serialise a token's Extra fields; a record keeps the
// "scope" field, which auth.Granted and refreshes read, and the two fields
// package auth adds (ExtraRefreshExpiry, ExtraReauthorize), and no other.
package tokenrec

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/sealed"
)

// version is the record format written; readers refuse others.
const version = 1

// The Extra fields package auth sets on a token and a record keeps.
const (
	// ExtraRefreshExpiry holds a time.Time: when the refresh token expires.
	ExtraRefreshExpiry = "onair_refresh_expiry"
	// ExtraReauthorize holds a string, the reason of a marker: a token
	// with neither access nor refresh token saying the user must
	// authorize again.
	ExtraReauthorize = "onair_reauthorize"
)

// Version 1 records gained refresh_expiry and reauthorize as optional
// fields: older readers ignore them, and older records lack them.
type record struct {
	V             int       `json:"v"`
	AccessToken   string    `json:"access_token"`
	TokenType     string    `json:"token_type,omitempty"`
	RefreshToken  string    `json:"refresh_token,omitempty"`
	Expiry        time.Time `json:"expiry,omitzero"`
	ExpiresIn     int64     `json:"expires_in,omitempty"`
	Scope         *string   `json:"scope,omitempty"`
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
	Reauthorize   string    `json:"reauthorize,omitempty"`
}

// ErrMalformed reports a stored record that cannot be read. Its text never
// quotes the record.
var ErrMalformed = errors.New("malformed token record")

// Marshal encodes tok.
func Marshal(tok *oauth2.Token) ([]byte, error) {
	if tok == nil {
		return nil, errors.New("the token is nil")
	}
	reason, _ := tok.Extra(ExtraReauthorize).(string)
	switch {
	case reason != "" && (tok.AccessToken != "" || tok.RefreshToken != ""):
		return nil, errors.New("a re-authorization marker holds no access or refresh token")
	case reason == "" && tok.AccessToken == "" && tok.RefreshToken == "":
		return nil, errors.New("the token has neither an access nor a refresh token")
	}
	r := record{
		V:            version,
		AccessToken:  tok.AccessToken,
		TokenType:    tok.TokenType,
		RefreshToken: tok.RefreshToken,
		Expiry:       tok.Expiry.Round(0), // wall clock only
		ExpiresIn:    tok.ExpiresIn,
		Reauthorize:  reason,
	}
	if s, ok := tok.Extra("scope").(string); ok {
		r.Scope = &s
	}
	if t, ok := tok.Extra(ExtraRefreshExpiry).(time.Time); ok {
		r.RefreshExpiry = t.Round(0)
	}
	return json.Marshal(r)
}

// Unmarshal decodes a record that Marshal wrote.
func Unmarshal(b []byte) (*oauth2.Token, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		// json's errors give offsets and types, never the input.
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if r.V != version {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrMalformed, r.V, version)
	}
	switch {
	case r.Reauthorize != "" && (r.AccessToken != "" || r.RefreshToken != ""):
		return nil, fmt.Errorf("%w: a re-authorization marker with a token", ErrMalformed)
	case r.Reauthorize == "" && r.AccessToken == "" && r.RefreshToken == "":
		return nil, fmt.Errorf("%w: no access or refresh token", ErrMalformed)
	}
	tok := &oauth2.Token{
		AccessToken:  r.AccessToken,
		TokenType:    r.TokenType,
		RefreshToken: r.RefreshToken,
		Expiry:       r.Expiry,
		ExpiresIn:    r.ExpiresIn,
	}
	extra := map[string]any{}
	if r.Scope != nil {
		extra["scope"] = *r.Scope
	}
	if !r.RefreshExpiry.IsZero() {
		extra[ExtraRefreshExpiry] = r.RefreshExpiry
	}
	if r.Reauthorize != "" {
		extra[ExtraReauthorize] = r.Reauthorize
	}
	if len(extra) > 0 {
		tok = tok.WithExtra(extra)
	}
	return tok, nil
}

// additionalData binds a sealed record to the key it is stored under.
func additionalData(key string) []byte {
	return append([]byte("onair token record v1\x00"), key...)
}

// Pack encodes tok for storage under key, sealed when s is not nil. keyID
// is empty for a record in clear.
func Pack(s sealed.Sealer, key string, tok *oauth2.Token) (keyID string, data []byte, err error) {
	data, err = Marshal(tok)
	if err != nil || s == nil {
		return "", data, err
	}
	keyID, data, err = s.Seal(data, additionalData(key))
	if err == nil && keyID == "" {
		err = errors.New("the sealer returned no key ID")
	}
	return keyID, data, err
}

// Unpack decodes what Pack returned. A store with a sealer refuses records
// in clear, and one without refuses sealed records: either way, something
// is misconfigured, and reading on would hide it.
func Unpack(s sealed.Sealer, key, keyID string, data []byte) (*oauth2.Token, error) {
	switch {
	case s == nil && keyID != "":
		return nil, fmt.Errorf("the record is sealed with key %q and the store has no sealer", keyID)
	case s != nil && keyID == "":
		return nil, errors.New("the record is not sealed and the store seals: save it again through the sealing store")
	case s != nil:
		var err error
		if data, err = s.Open(keyID, data, additionalData(key)); err != nil {
			return nil, err
		}
	}
	return Unmarshal(data)
}
