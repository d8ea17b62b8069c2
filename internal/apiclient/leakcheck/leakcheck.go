// Package leakcheck helps test that the errors of onair's typed API
// clients quote no secret and stay one line of valid UTF-8, whatever a
// hostile API or proxy answers: it plants a token in the forms an answer
// may echo it in, and looks for it in every rendering of an error and of
// every error in its chain.
package leakcheck

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/leaktest"
)

// A Form is one way an answer may echo a secret.
type Form struct {
	Name   string
	Encode func(secret string) string // safe inside a JSON string
}

// Forms returns the forms of a secret that answers were seen to echo, or
// could: as sent, query-escaped (upper- and lower-case hex), base64 (both
// alphabets) and JSON-escaped.
func Forms() []Form {
	return []Form{
		{"raw", func(s string) string { return s }},
		{"query-escaped", url.QueryEscape},
		{"query-escaped, lower-case hex", func(s string) string { return leaktest.LowerEscapes(url.QueryEscape(s)) }},
		{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
		{"base64url", func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }},
		{`JSON-escaped \/`, func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }},
		{`JSON-escaped \u`, jsonUnicode},
	}
}

// jsonUnicode escapes every character but letters and digits as \uXXXX,
// which a JSON decoder reads back as the secret.
func jsonUnicode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// Source is a token source that refreshes as auth's do after a 401
// invalid_token: Invalidate of its current token moves to the next one.
type Source struct {
	mu     sync.Mutex
	tokens []*oauth2.Token
}

// NewSource returns a Source that hands out tokens in turn.
func NewSource(tokens ...*oauth2.Token) *Source {
	return &Source{tokens: tokens}
}

// Token returns the current token.
func (s *Source) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[0], nil
}

// Invalidate moves past tok when it is the current token and another one
// is left.
func (s *Source) Invalidate(tok *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tokens) > 1 && s.tokens[0] == tok {
		s.tokens = s.tokens[1:]
	}
}

// Credentials returns the credentials of an Authorization header value:
// what follows the scheme, or the whole value of a bare token.
func Credentials(authorization string) string {
	if scheme, rest, ok := strings.Cut(authorization, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return rest
	}
	return authorization
}

// Leak returns where in err one of secrets appears, or "" when none does:
// in Error() or a %v, %+v, %#v, %s or %q rendering of err or of any error
// of its chain, or in slog's text or JSON output of err. Empty secrets are
// ignored.
func Leak(err error, secrets ...string) string {
	if err == nil {
		return ""
	}
	var texts []string
	for _, e := range leaktest.Chain(err) {
		texts = append(texts, e.Error())
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			texts = append(texts, fmt.Sprintf(verb, e))
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Error("call failed", "err", err)
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("call failed", "err", err)
	slog.New(slog.NewTextHandler(&buf, nil)).Error("call failed", slog.Any("err", err))
	texts = append(texts, buf.String())
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, t := range texts {
			if strings.Contains(t, s) {
				return fmt.Sprintf("%q quotes %q", t, s)
			}
		}
	}
	return ""
}

// Line returns why the text of err or of an error of its chain is not one
// line of printable, valid UTF-8, or "" when all are.
func Line(err error) string {
	for _, e := range leaktest.Chain(err) {
		s := e.Error()
		if !utf8.ValidString(s) {
			return fmt.Sprintf("%q is not valid UTF-8", s)
		}
		for _, r := range s {
			if r != ' ' && !unicode.IsPrint(r) {
				return fmt.Sprintf("%q holds %U", s, r)
			}
		}
	}
	return ""
}
