package auth

import "golang.org/x/oauth2"

// This file is the Refresher's one contact with how a store and an error
// say that a user must authorize again, so that the signal can change in
// one place.

// needsReauthorization reports whether err, a refresh's error, means that
// the refresh token is dead and the user must authorize again.
func needsReauthorization(err error) bool {
	return isInvalidGrant(err)
}

// reauthorizationError is the error OnReauthorize gets for key, whose
// refresh failed with err.
func reauthorizationError(provider, key string, err error) error {
	return err
}

// reauthorizationMarker returns the token to store under a key whose
// refresh failed with err, so that no process refreshes the dead pair
// again; nil to leave the store as it is.
func reauthorizationMarker(err error) *oauth2.Token {
	return nil
}

// reauthorizationReason reports whether tok, as loaded from a store, is a
// marker that its user must authorize again, and why.
func reauthorizationReason(tok *oauth2.Token) (string, bool) {
	return "", false
}
