package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/oapi-codegen/runtime"

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
	if len(call.Query) > 0 {
		q := make(url.Values, len(args.Query)+len(call.Query))
		for k, v := range args.Query {
			q[k] = v
		}
		for k, v := range call.Query {
			q[k] = append(q[k], v...)
		}
		args.Query = q
	}
	req, err := c.newRequest(ctx, op, path, &args)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", c.cfg.Provider, op.Name, err)
	}
	_, err = c.send(ctx, op, req, out, call)
	return err
}

func (c *Client[S]) newRequest(ctx context.Context, op *Op[S], path []string, args *Args) (*http.Request, error) {
	u, err := expand(c.Server(op.Server), op.Path, path)
	if err != nil {
		return nil, err
	}
	if len(args.Query) > 0 {
		u += "?" + args.Query.Encode()
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
	req, err := http.NewRequestWithContext(ctx, op.Method, u, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// expand returns base followed by the path template with each {name}
// replaced by the next value, escaped. A value of "", "." or ".." would
// name another resource, and is refused.
func expand(base, tmpl string, values []string) (string, error) {
	var b strings.Builder
	b.Grow(len(base) + len(tmpl) + 32)
	b.WriteString(base)
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
			return "", fmt.Errorf("%w: no value for the path parameter %s", ErrBadArgument, name)
		}
		if err := PathArg(name, values[0]); err != nil {
			return "", err
		}
		b.WriteString(tmpl[:open])
		b.WriteString(url.PathEscape(values[0]))
		tmpl, values = tmpl[open+end+1:], values[1:]
	}
	b.WriteString(tmpl)
	return b.String(), nil
}

// Query adds a query parameter in its OpenAPI style ("form" unless the
// spec says otherwise) to q, creating q when nil, and returns q.
func Query(q url.Values, style string, explode bool, name string, value any) (url.Values, error) {
	frag, err := runtime.StyleParamWithLocation(style, explode, name, runtime.ParamLocationQuery, value)
	if err != nil {
		return q, fmt.Errorf("%w: query parameter %s: %w", ErrBadArgument, name, err)
	}
	parsed, err := url.ParseQuery(frag)
	if err != nil {
		return q, fmt.Errorf("%w: query parameter %s: %w", ErrBadArgument, name, err)
	}
	if q == nil {
		q = make(url.Values, 4)
	}
	for k, vs := range parsed {
		q[k] = append(q[k], vs...)
	}
	return q, nil
}
