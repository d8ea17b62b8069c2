package authserver

import (
	"net/url"
	"slices"
)

// redirectAllowed reports whether an authorization request may send the
// browser back to got, a client having registered the URIs in registered.
// A URI matches a registered one exactly, except that for a loopback IP
// redirect URI (http://127.0.0.1 or http://[::1]) the port may be any:
// a native app listens on a port the system picks when the login starts
// (RFC 8252 §7.3). Scheme, host, path and query still match exactly, so
// neither another host nor "localhost" passes for 127.0.0.1 (§8.3).
func redirectAllowed(registered []string, got string) bool {
	if slices.Contains(registered, got) {
		return true
	}
	u, err := url.Parse(got)
	if err != nil || !isLoopbackIPRedirect(u) {
		return false
	}
	for _, r := range registered {
		ru, err := url.Parse(r)
		if err != nil || !isLoopbackIPRedirect(ru) {
			continue
		}
		if u.Hostname() == ru.Hostname() && u.EscapedPath() == ru.EscapedPath() && u.RawQuery == ru.RawQuery && u.ForceQuery == ru.ForceQuery {
			return true
		}
	}
	return false
}

// isLoopbackIPRedirect reports whether u is a plain http URI at a loopback
// IP literal, with nothing (credentials, a fragment) a redirect URI must
// not carry.
func isLoopbackIPRedirect(u *url.URL) bool {
	if u.Scheme != "http" || u.Opaque != "" || u.User != nil || u.Fragment != "" || u.RawFragment != "" {
		return false
	}
	h := u.Hostname()
	return h == "127.0.0.1" || h == "::1"
}
