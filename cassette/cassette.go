// Package cassette records a provider's real HTTP traffic into cassette
// files with every secret removed, so that a session with a real account
// can be kept, shared and checked against onair's specs.
//
// A cassette is a versioned JSON file: the provider, and the interactions
// in the order they happened, each a request (method, URL, header, body)
// and its answer (status, header, body). A [Recorder] is an
// http.RoundTripper that records every exchange it carries. It removes
// secrets with the redaction the SDK uses for its errors: the
// Authorization header's credentials (Bearer, Basic or a bare token),
// cookies, the values of secret-named parameters wherever they appear
// (access_token, refresh_token, code, code_verifier, client_secret and
// their kin), stream keys (with which anyone could broadcast on the
// account), and every value it learned to be secret from the traffic or
// was told of, in every encoding the redaction knows (percent and JSON
// escapes, HTML references, base64). A compressed answer is recorded
// decoded. [Save] refuses to write a cassette in which a known secret
// survives, or whose bodies are compressed.
package cassette

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"unicode/utf8"
)

// Version is the version of the cassette format this package writes and
// reads.
const Version = 1

// A Cassette is a recorded session.
type Cassette struct {
	Version int `json:"version"`
	// Provider is the provider of the interactions that do not name
	// their own: "livestorm", as onair's command line names it.
	Provider     string        `json:"provider"`
	Interactions []Interaction `json:"interactions"`
}

// An Interaction is one request and its answer.
type Interaction struct {
	// Provider is set when the interaction's provider is not the
	// cassette's.
	Provider string   `json:"provider,omitempty"`
	Request  Request  `json:"request"`
	Response Response `json:"response"`
}

// A Request is a recorded request.
type Request struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header,omitempty"`
	Body   Body        `json:"body,omitempty"`
}

// A Response is a recorded answer.
type Response struct {
	Status int         `json:"status"`
	Header http.Header `json:"header,omitempty"`
	Body   Body        `json:"body,omitempty"`
}

// ProviderOf returns the provider of c's interaction i.
func (c *Cassette) ProviderOf(i int) string {
	if p := c.Interactions[i].Provider; p != "" {
		return p
	}
	return c.Provider
}

// Body is a body's bytes. It is written as a JSON string when it is
// UTF-8 text, which keeps a cassette readable and its diffs small, and as
// {"base64": "…"} otherwise.
type Body []byte

// MarshalJSON writes b as text, or as base64 if it is not UTF-8.
func (b Body) MarshalJSON() ([]byte, error) {
	if utf8.Valid(b) {
		return marshal(string(b))
	}
	return marshal(struct {
		Base64 string `json:"base64"`
	}{base64.StdEncoding.EncodeToString(b)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (b *Body) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*b = Body(s)
		return nil
	}
	var bin struct {
		Base64 *string `json:"base64"`
	}
	if err := json.Unmarshal(data, &bin); err != nil || bin.Base64 == nil {
		return errors.New(`a body is a string or {"base64": "…"}`)
	}
	raw, err := base64.StdEncoding.DecodeString(*bin.Base64)
	if err != nil {
		return fmt.Errorf("a body's base64: %w", err)
	}
	*b = raw
	return nil
}

// marshal is json.Marshal without HTML escaping, so that a body's
// "<" and "&" stay readable.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Load reads the cassette file at path.
func Load(path string) (*Cassette, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cassette: %w", err)
	}
	return Parse(data)
}

// Parse reads a cassette from data.
func Parse(data []byte) (*Cassette, error) {
	var c Cassette
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("cassette: not a cassette file: %w", err)
	}
	if c.Version != Version {
		return nil, fmt.Errorf("cassette: version %d, but this onair reads version %d; record it again or update onair", c.Version, Version)
	}
	return &c, nil
}

// Save writes c to the file at path, indented, with the file mode 0o644.
// It refuses, writing nothing, when c holds any of secrets in any
// encoding the redaction finds, in its bodies, URLs or headers or in the
// file, or when c is not as a Recorder leaves it: a credential, a cookie
// or the value of a secret-named parameter (access_token=…) left in it,
// or a compressed body, which the check cannot read.
// The error names where, never the secret.
func Save(path string, c *Cassette, secrets ...string) error {
	data, err := Encode(c, secrets...)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("cassette: %w", err)
	}
	return nil
}

// Encode returns c as Save writes it, or Save's error.
func Encode(c *Cassette, secrets ...string) ([]byte, error) {
	if c.Version == 0 {
		cc := *c
		cc.Version = Version
		c = &cc
	}
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	if err := e.Encode(c); err != nil {
		return nil, fmt.Errorf("cassette: %w", err)
	}
	if where, ok := encoded(c); ok {
		return nil, fmt.Errorf("cassette: %s body is compressed, which hides whether a secret survives in it; record again with a Recorder, which decodes it", where)
	}
	set := newSet(secrets)
	if where, ok := survivor(c, buf.Bytes(), set); ok {
		return nil, fmt.Errorf("cassette: a known secret survives in %s; record again, or pass it to the Recorder with AddSecrets so it is removed", where)
	}
	if where, ok := unredacted(c, set); ok {
		return nil, fmt.Errorf("cassette: %s holds a credential, a cookie or a secret-named parameter's value; record again with a Recorder, which removes them", where)
	}
	return buf.Bytes(), nil
}
