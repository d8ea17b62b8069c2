package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onair-go/onair"
)

// Args are the arguments of one call of an operation, beside its path
// values.
type Args struct {
	// Query is the query, built with Query.
	Query url.Values
	// Body is nil, an io.Reader sent as it is, or a value sent as JSON.
	Body any
	// ContentType is the body's media type; application/json when empty.
	ContentType string
}

// Call sends op with args and decodes its answer as Do does. It builds the
// request from op's path template, whose parameters take the values of
// path in order, each escaped (OpenAPI's simple style), so that every
// operation of every provider is built the same way. (path is apart from
// args so that it stays on the caller's stack: a body in args escapes.)
func (c *Client[S]) Call(ctx context.Context, op *Op[S], path []string, args Args, out any, opts []onair.CallOption) error {
	call := settings(opts)
	ctx, cancel := callContext(ctx, call)
	defer cancel()
	if !c.hooked {
		return c.call(ctx, op, path, &args, out, call)
	}
	return c.callObserved(ctx, op, slices.Clone(path), args, out, call)
}

// callObserved is call through the hooks, apart from Call so that only a
// client with hooks pays for what the closure moves to the heap (path and
// args would otherwise escape on every call).
func (c *Client[S]) callObserved(ctx context.Context, op *Op[S], path []string, args Args, out any, call *onair.Call) error {
	return c.observe(ctx, op, func(ctx context.Context) error {
		return c.call(ctx, op, path, &args, out, call)
	})
}

func (c *Client[S]) call(ctx context.Context, op *Op[S], path []string, args *Args, out any, call *onair.Call) error {
	req, err := c.newRequest(ctx, op, path, args)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", c.cfg.Provider, op.Name, err)
	}
	_, err = c.send(ctx, op, req, out, call)
	return err
}

func (c *Client[S]) newRequest(ctx context.Context, op *Op[S], path []string, args *Args) (*http.Request, error) {
	base := c.base
	if base == nil {
		if base = c.servers[op.Server]; base == nil {
			return nil, fmt.Errorf("the operation's server %q is not one of the client's", op.Server)
		}
	}
	// The URL is built, not parsed: the path's values are escaped here,
	// and parsing the result again would cost as much as the rest.
	p, raw, err := expand(base, op.Path, path)
	if err != nil {
		return nil, err
	}
	var query string
	if len(args.Query) > 0 {
		query = args.Query.Encode()
	}
	var body io.Reader
	var contentType string
	switch b := args.Body.(type) {
	case nil:
	case io.Reader:
		body, contentType = b, args.ContentType
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("encoding the request body: %w", err)
		}
		body, contentType = bytes.NewReader(buf), args.ContentType
		if contentType == "" {
			contentType = "application/json"
		}
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, "", body)
	if err != nil {
		return nil, err
	}
	// The empty URL NewRequest parsed is the request's own: fill it in.
	*req.URL = url.URL{Scheme: base.Scheme, Host: base.Host, Path: p, RawPath: raw, RawQuery: query}
	req.Host = base.Host
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// expand returns the path of base followed by the path template with each
// {name} replaced by the next value, both as text (the URL's Path) and
// escaped (its RawPath; "" when escaping changes nothing). A value of "",
// "." or ".." would name another resource, and is refused.
func expand(base *url.URL, tmpl string, values []string) (path, raw string, err error) {
	var p, r strings.Builder
	p.Grow(len(base.Path) + len(tmpl) + 32)
	p.WriteString(base.Path)
	escaped := false
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		name := tmpl[open+1 : open+end]
		if len(values) == 0 {
			return "", "", fmt.Errorf("%w: no value for the path parameter %s", ErrBadArgument, name)
		}
		v := values[0]
		if err := PathArg(name, v); err != nil {
			return "", "", err
		}
		e := url.PathEscape(v)
		if e != v && !escaped {
			// From here on the raw path differs from the text: start it
			// with the part so far, escaped.
			escaped = true
			r.Grow(p.Cap() + 2*len(v))
			r.WriteString(base.EscapedPath())
			r.WriteString(strings.TrimPrefix(p.String(), base.Path))
		}
		p.WriteString(tmpl[:open])
		p.WriteString(v)
		if escaped {
			r.WriteString(tmpl[:open])
			r.WriteString(e)
		}
		tmpl, values = tmpl[open+end+1:], values[1:]
	}
	p.WriteString(tmpl)
	if escaped {
		r.WriteString(tmpl)
	}
	return p.String(), r.String(), nil
}

// Query adds a query parameter to q in its OpenAPI style, creating q when
// nil, and returns q. It knows the styles the specs use: "form", exploded
// (an array as repeated parameters) or not (an array as one
// comma-separated value), of strings, numbers, booleans and times.
func Query(q url.Values, style string, explode bool, name string, value any) (url.Values, error) {
	if style != "form" {
		return q, fmt.Errorf("%w: query parameter %s: style %q is not supported", ErrBadArgument, name, style)
	}
	var values []string
	v := reflect.ValueOf(value)
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			s, err := queryValue(v.Index(i))
			if err != nil {
				return q, fmt.Errorf("%w: query parameter %s: %w", ErrBadArgument, name, err)
			}
			values = append(values, s)
		}
		if !explode {
			values = []string{strings.Join(values, ",")}
		}
	} else {
		s, err := queryValue(v)
		if err != nil {
			return q, fmt.Errorf("%w: query parameter %s: %w", ErrBadArgument, name, err)
		}
		values = []string{s}
	}
	if q == nil {
		q = make(url.Values, 4)
	}
	q[name] = append(q[name], values...)
	return q, nil
}

// queryValue is the text of one primitive value.
func queryValue(v reflect.Value) (string, error) {
	if t, ok := v.Interface().(time.Time); ok {
		return t.Format(time.RFC3339Nano), nil
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, v.Type().Bits()), nil
	}
	return "", fmt.Errorf("a %s cannot be a query value", v.Type())
}
