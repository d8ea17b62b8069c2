package cassette

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/onair-go/onair/internal/redact"
)

// A Recorder is an http.RoundTripper that sends each request with its
// base transport and records the exchange. It keeps what it records in
// memory as it was sent and received, learning from it the secrets it
// carries; [Recorder.Cassette] and [Recorder.Save] remove them all.
//
// The answer of a request is read whole before RoundTrip returns it,
// except a protocol switch (101) or an event stream, whose body is passed
// on unread and not recorded. A body longer than the redaction reads
// (256 KiB) is cut in the cassette, which says how much it left out.
// JSON members named "code" are kept, as an API's error codes are; an
// authorization code the traffic carried is a known value and is removed
// wherever it appears.
//
// A Recorder is safe for concurrent use.
type Recorder struct {
	base     http.RoundTripper
	provider string
	emails   bool

	mu        sync.Mutex
	exchanges []exchange
	secrets   []string
}

// exchange is one recorded exchange as it was, secrets and all.
type exchange struct {
	provider string
	in       Interaction
}

// An Option configures a Recorder.
type Option func(*Recorder)

// RedactEmails removes every email address in the traffic, in every
// encoding, as a secret.
func RedactEmails() Option { return func(r *Recorder) { r.emails = true } }

// Secrets adds values to remove wherever they appear: an account's
// identifiers, a webhook secret, anything the traffic does not say is
// secret.
func Secrets(values ...string) Option {
	return func(r *Recorder) { r.secrets = append(r.secrets, values...) }
}

// NewRecorder returns a Recorder of provider's traffic (as onair's command
// line names it: "livestorm") over base, or over http.DefaultTransport if
// base is nil.
func NewRecorder(provider string, base http.RoundTripper, opts ...Option) *Recorder {
	r := &Recorder{base: base, provider: provider}
	for _, o := range opts {
		o(r)
	}
	return r
}

type providerKey struct{}

// WithProvider returns ctx naming the provider its requests go to: a
// Recorder records them under it instead of its own.
func WithProvider(ctx context.Context, provider string) context.Context {
	return context.WithValue(ctx, providerKey{}, provider)
}

// AddSecrets adds values to remove, as the Secrets option does.
func (r *Recorder) AddSecrets(values ...string) {
	r.mu.Lock()
	r.secrets = append(r.secrets, values...)
	r.mu.Unlock()
}

// RoundTrip sends req with the base transport and records the exchange.
// It does not modify req.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("cassette: reading the request body: %w", err)
		}
		reqBody = b
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(b))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	base := r.base
	if base == nil {
		base = http.DefaultTransport
	}
	res, err := base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	var resBody []byte
	if !streams(res) {
		resBody, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("cassette: reading the answer body: %w", err)
		}
		res.Body = io.NopCloser(bytes.NewReader(resBody))
	}
	x := exchange{in: Interaction{
		Request:  Request{Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Body: reqBody},
		Response: Response{Status: res.StatusCode, Header: res.Header.Clone(), Body: resBody},
	}}
	if err := decompress(&x.in.Response); err != nil {
		return nil, err
	}
	x.provider, _ = req.Context().Value(providerKey{}).(string)
	learned := learn(x.in, r.emails)
	r.mu.Lock()
	r.exchanges = append(r.exchanges, x)
	r.secrets = append(r.secrets, learned...)
	r.mu.Unlock()
	return res, nil
}

// decompress decodes a compressed answer's body in place, as the record
// keeps it: a secret the compression hides could neither be learned nor
// removed. The caller still gets the body as it came.
func decompress(res *Response) error {
	var zr io.ReadCloser
	var err error
	switch enc := strings.ToLower(strings.TrimSpace(res.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return nil
	case "gzip", "x-gzip":
		zr, err = gzip.NewReader(bytes.NewReader(res.Body))
	case "deflate":
		zr, err = zlib.NewReader(bytes.NewReader(res.Body))
	default:
		// Kept as it came: Save refuses a body it cannot read.
		return nil
	}
	if err != nil {
		return fmt.Errorf("cassette: decoding the answer body: %w", err)
	}
	defer zr.Close()
	body, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("cassette: decoding the answer body: %w", err)
	}
	res.Body = body
	res.Header.Del("Content-Encoding")
	return nil
}

// streams reports whether res's body goes on after the answer: a
// protocol switch or an event stream.
func streams(res *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	return res.StatusCode == http.StatusSwitchingProtocols || mt == "text/event-stream"
}

// Cassette returns what r recorded so far with every secret removed.
func (r *Recorder) Cassette() *Cassette {
	c, _ := r.cassette()
	return c
}

// Len returns the number of exchanges r recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.exchanges)
}

// Save writes what r recorded to the file at path, with every secret
// removed, as the package's Save does: it refuses if one survives.
func (r *Recorder) Save(path string) error {
	c, secrets := r.cassette()
	return Save(path, c, secrets...)
}

func (r *Recorder) cassette() (*Cassette, []string) {
	r.mu.Lock()
	xs := append([]exchange(nil), r.exchanges...)
	secrets := append([]string(nil), r.secrets...)
	r.mu.Unlock()
	s := newSet(secrets)
	c := &Cassette{Version: Version, Provider: r.provider, Interactions: make([]Interaction, 0, len(xs))}
	for _, x := range xs {
		in := clean(s, x.in)
		if x.provider != r.provider {
			in.Provider = x.provider
		}
		c.Interactions = append(c.Interactions, in)
	}
	return c, secrets
}

// clean returns in with the secrets of s, credentials and cookies
// removed.
func clean(s *redact.Set, in Interaction) Interaction {
	return Interaction{
		Request: Request{
			Method: in.Request.Method,
			URL:    s.URL(in.Request.URL),
			Header: cleanHeader(s, in.Request.Header),
			Body:   cleanBody(s, in.Request.Body),
		},
		Response: Response{
			Status: in.Response.Status,
			Header: cleanHeader(s, in.Response.Header),
			Body:   cleanBody(s, in.Response.Body),
		},
	}
}

// cleanHeader returns h with its secrets removed. Credentials become the
// Mark after their scheme, so that a cassette still says how a request
// authenticated (Bearer, Basic, or a bare token as DLive's); cookies
// become the Mark.
func cleanHeader(s *redact.Set, h http.Header) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := s.Header(h)
	// The body's own length says it; a redacted body's differs.
	out.Del("Content-Length")
	for _, k := range []string{"Authorization", "Proxy-Authorization"} {
		for _, v := range h.Values(k) {
			out.Add(k, credential(v))
		}
	}
	for _, k := range []string{"Cookie", "Set-Cookie"} {
		for range h.Values(k) {
			out.Add(k, redact.Mark)
		}
	}
	return out
}

// credential returns an Authorization value with its credential replaced
// by the Mark and its scheme kept.
func credential(v string) string {
	scheme, _, ok := strings.Cut(strings.TrimSpace(v), " ")
	if ok && redact.Params(scheme) == scheme && len(scheme) <= 16 {
		return scheme + " " + redact.Mark
	}
	return redact.Mark
}

// cleanBody returns b with its secrets removed. JSON "code" members are
// kept, as they are the APIs' error codes; an authorization code the
// traffic carried is a known value and goes wherever it appears.
func cleanBody(s *redact.Set, b Body) Body {
	if len(b) == 0 {
		return nil
	}
	return s.Body(blankStreamKeys(b), "code")
}

// blankStreamKeys returns a JSON body with the strings under its stream
// key members replaced by the Mark, its shape kept; any other body as it
// is. The redaction does not take these names for secret ones.
func blankStreamKeys(b []byte) []byte {
	if len(b) > redact.MaxText || !bytes.Contains(bytes.ToLower(b), []byte("key")) {
		return b
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.InputOffset() != int64(len(bytes.TrimRight(b, " \t\r\n"))) {
		return b
	}
	changed := false
	var walk func(v any, secret bool) any
	walk = func(v any, secret bool) any {
		switch v := v.(type) {
		case string:
			if secret && v != "" && v != redact.Mark {
				changed = true
				return redact.Mark
			}
		case []any:
			for i, x := range v {
				v[i] = walk(x, secret)
			}
		case map[string]any:
			for k, x := range v {
				v[k] = walk(x, secret || secretMember(k) && !redact.IsSecretParam(k))
			}
		}
		return v
	}
	v = walk(v, false)
	if !changed {
		return b
	}
	out, err := marshal(v)
	if err != nil {
		return b
	}
	return out
}
