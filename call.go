package onair

import (
	"net/http"
	"net/url"
	"time"
)

// A CallOption changes one API call. Every method of the provider clients
// takes any number of them after its arguments:
//
//	var res onair.Response
//	s, err := client.Streams.Get(ctx, id, onair.WithHeader("X-Trace", trace), onair.WithResponse(&res))
type CallOption func(*Call)

// Call is what CallOptions set for one API call. A call starts from the
// zero Call, which changes nothing.
type Call struct {
	// Header holds headers sent with the request, beside the client's.
	// The client's User-Agent and the token's Authorization win over the
	// same headers here.
	Header http.Header
	// Query holds query parameters added to the request's.
	Query url.Values
	// MaxRetries, when not nil, replaces the client's budget of retries
	// of 429 and 503 answers for this call; 0 sends it once.
	MaxRetries *int
	// Timeout, when positive, bounds the whole call, retries included.
	Timeout time.Duration
	// Response, when not nil, receives the metadata of the last answer,
	// a failed one included.
	Response *Response
}

// WithHeader adds a header to the request of one call. It cannot replace
// the client's User-Agent nor the token's Authorization.
func WithHeader(key, value string) CallOption {
	return func(c *Call) {
		if c.Header == nil {
			c.Header = make(http.Header)
		}
		c.Header.Add(key, value)
	}
}

// WithQuery adds a query parameter to the request of one call, for a
// parameter the method does not take.
func WithQuery(key, value string) CallOption {
	return func(c *Call) {
		if c.Query == nil {
			c.Query = make(url.Values)
		}
		c.Query.Add(key, value)
	}
}

// WithMaxRetries sets how many times one call may be retried after a 429
// or 503 answer; 0 sends it once.
func WithMaxRetries(n int) CallOption {
	return func(c *Call) { c.MaxRetries = &n }
}

// WithTimeout bounds one call, retries and their waits included.
func WithTimeout(d time.Duration) CallOption {
	return func(c *Call) { c.Timeout = d }
}

// WithResponse has the call fill in r with the metadata of its answer.
func WithResponse(r *Response) CallOption {
	return func(c *Call) { c.Response = r }
}

// Response is the metadata of an API answer.
type Response struct {
	StatusCode int
	// Header is the answer's header without credentials (Set-Cookie,
	// Authorization and the like).
	Header http.Header
	// RequestID is the provider's id of the request, from its
	// X-Request-Id header; "" when the answer has none.
	RequestID string
	// RateLimits is the state of each rate-limit window the answer
	// reported, in the provider's order; nil when it reported none.
	RateLimits []RateLimit
}

// RateLimit is the state of one rate-limit window, as an answer reported it.
type RateLimit struct {
	Window    string    // what the limit counts, e.g. "second" or "month"
	Limit     int       // calls the window allows
	Remaining int       // calls left in the window
	Reset     time.Time // when the window starts again; zero when not said
}
