package cassette

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/onair-go/onair/internal/redact"
)

// minSecret is the length of the shortest value learned as a secret:
// shorter ones would be removed from every word they occur in, and are
// no secret an attacker could not guess.
const minSecret = 4

// minCookieSecret is the length from which a cookie's value is taken
// for a credential whatever the cookie's name: session ids are long, and
// a short value such as a locale ("en-US") would be removed from every
// body that holds the same word. The Cookie and Set-Cookie headers are
// replaced whole in any case.
const minCookieSecret = 16

// cookieSecret returns the cookie's value when it may be a credential: a
// long one, or one whose name says it is.
func cookieSecret(name, value string) []string {
	if len(value) >= minCookieSecret || redact.IsSecretParam(name) || credentialCookie(name) {
		return []string{value}
	}
	return nil
}

// credentialCookie reports a cookie named as sessions and logins are.
func credentialCookie(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"sess", "sid", "auth", "login", "jwt", "csrf", "xsrf"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// learn returns the secrets in's traffic carries: the credentials of its
// Authorization header, its cookies, the values of secret-named
// parameters and of state in its URL, form and redirect, and the values
// of secret-named members of its JSON bodies; with emails, every email
// address too.
func learn(in Interaction, emails bool) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if len(v) >= minSecret && !literal(v) && !strings.Contains(v, redact.Mark) {
				out = append(out, v)
			}
		}
	}
	for _, k := range []string{"Authorization", "Proxy-Authorization"} {
		for _, v := range in.Request.Header.Values(k) {
			add(redact.Credentials(v)...)
		}
	}
	for _, c := range (&http.Request{Header: in.Request.Header}).Cookies() {
		add(cookieSecret(c.Name, c.Value)...)
	}
	for _, c := range (&http.Response{Header: in.Response.Header}).Cookies() {
		add(cookieSecret(c.Name, c.Value)...)
	}
	if u, err := url.Parse(in.Request.URL); err == nil {
		add(u.User.String())
		add(params(u.Query())...)
	}
	if loc := in.Response.Header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			add(params(u.Query())...)
			if q, err := url.ParseQuery(u.Fragment); err == nil {
				add(params(q)...)
			}
		}
	}
	if isForm(in.Request.Header) || in.Request.Header.Get("Content-Type") == "" {
		// A form sent without its media type is a form all the same.
		if q, err := url.ParseQuery(string(in.Request.Body)); err == nil {
			add(params(q)...)
		}
	}
	add(members(in.Request.Body)...)
	add(members(in.Response.Body)...)
	if emails {
		for _, text := range []string{in.Request.URL, string(in.Request.Body), string(in.Response.Body)} {
			add(emailAddrs(text)...)
		}
		// A JSON string may escape an address (\u0040), which the
		// redaction, encoding the body again, writes out plain.
		for _, body := range [][]byte{in.Request.Body, in.Response.Body} {
			for _, text := range jsonStrings(body) {
				add(emailAddrs(text)...)
			}
		}
		for _, hh := range []http.Header{in.Request.Header, in.Response.Header} {
			for _, vs := range hh {
				for _, v := range vs {
					add(emailAddrs(v)...)
				}
			}
		}
	}
	return out
}

// literal reports whether v is a word that stands for no value (a secret
// parameter's "null" or "none"), which removing everywhere would maim
// the cassette for nothing.
func literal(v string) bool {
	switch strings.ToLower(v) {
	case "null", "true", "false", "none", "undefined", "bearer", "basic":
		return true
	}
	return false
}

// params returns the values of q's secret-named parameters and of state.
func params(q url.Values) []string {
	var out []string
	for k, vs := range q {
		if redact.IsSecretParam(k) || strings.EqualFold(k, "state") {
			out = append(out, vs...)
		}
	}
	return out
}

func isForm(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded"
}

// members returns the string values of the secret-named members of a
// JSON body, at any depth, but for "code", which in a JSON answer is an
// API's error code.
func members(body []byte) []string {
	if len(bytes.TrimSpace(body)) == 0 || !json.Valid(body) {
		return nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch v := v.(type) {
		case string:
			if secret {
				out = append(out, v)
			}
		case []any:
			for _, x := range v {
				walk(x, secret)
			}
		case map[string]any:
			for k, x := range v {
				walk(x, secret || secretMember(k))
			}
		}
	}
	walk(v, false)
	return out
}

// jsonStrings returns the strings of a JSON body, member names too.
func jsonStrings(body []byte) []string {
	var v any
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				out = append(out, k)
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// secretMember reports whether a JSON member of this name holds a
// secret in a recording: a secret-named parameter but "code", which in a
// JSON answer is an API's error code, or a stream key (Livepush's
// streamKey, DLive's streamKey{key}), with which anyone can broadcast on
// the account's stream. The SDK's error redaction keeps stream keys'
// names as words (DLive's scope streamkey:read), so the cassette adds
// them here.
func secretMember(name string) bool {
	if strings.EqualFold(name, "code") {
		return false
	}
	folded := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(name))
	return redact.IsSecretParam(name) || strings.HasSuffix(folded, "streamkey")
}

var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// emailAddrs returns the email addresses in text, read as it is and
// percent-unescaped.
func emailAddrs(text string) []string {
	out := emailRE.FindAllString(text, -1)
	if u, err := url.QueryUnescape(text); err == nil && u != text {
		out = append(out, emailRE.FindAllString(u, -1)...)
	}
	return out
}
