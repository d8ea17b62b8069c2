package redact

import "net/http"

// Header returns a copy of h without the fields that carry credentials
// (Authorization, Proxy-Authorization, Cookie, Set-Cookie) and with every
// secret Text finds removed from the others, names and values.
func (s *Set) Header(h http.Header) http.Header {
	clean := make(http.Header, len(h))
	for k, vs := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie":
			continue
		}
		c := make([]string, len(vs))
		for i, v := range vs {
			c[i] = s.Text(v)
		}
		clean[s.Text(k)] = c
	}
	return clean
}
