package dlive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/Khan/genqlient/graphql"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/scopes"
)

// graphqlOp is what MakeRequest needs to know of a generated GraphQL
// operation (see graphqlOps in graphql_gen.go).
type graphqlOp struct {
	op       *apiclient.Op[scopes.DLive]
	mutation bool
}

// graphqlClient is genqlient's graphql.Client on top of the client's
// apiclient, so that GraphQL calls get the same pre-flight scope check,
// bare-token auth transport, retries and User-Agent as every other call.
type graphqlClient struct{ c *Client }

var _ graphql.Client = graphqlClient{}

// graphqlAnswer is the {data, errors} envelope of every answer.
type graphqlAnswer struct {
	Data       json.RawMessage `json:"data"`
	Errors     []GraphQLError  `json:"errors"`
	Extensions map[string]any  `json:"extensions"`

	// body is the whole answer, kept when it reports errors, or always
	// when keep is set (a mutation, whose err is inside data), for the
	// Body of the *Error it becomes.
	body []byte
	keep bool
}

func (a *graphqlAnswer) UnmarshalJSON(b []byte) error {
	type envelope graphqlAnswer // without this method
	if err := json.Unmarshal(b, (*envelope)(a)); err != nil {
		return err
	}
	if a.keep || len(a.Errors) > 0 {
		a.body = bytes.Clone(b)
	}
	return nil
}

// MakeRequest sends one genqlient request, with the per-call options the
// facade put in ctx (withCallOptions). The operation's scopes come from
// the generated table, by req.OpName. A 2xx answer with GraphQL errors, or
// a mutation whose payload's err is set, becomes an *Error as a non-2xx
// answer does (through decodeError): with the status, the request ID, the
// header and the start of the body.
func (g graphqlClient) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	o, ok := graphqlOps[req.OpName]
	if !ok {
		return fmt.Errorf("dlive: GraphQL operation %q is not in the generated table (run go generate)", req.OpName)
	}
	name := o.op.Name
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("dlive: %s: encoding the request: %w", name, err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, g.c.api.Server(graphqlServer), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("dlive: %s: %w", name, err)
	}
	hr.Header.Set("Content-Type", "application/json")
	out := graphqlAnswer{keep: o.mutation}
	ans, err := g.c.api.DoStatus(ctx, o.op, hr, &out, callOptions(ctx))
	if err != nil {
		return err
	}
	status := ans.StatusCode
	resp.Extensions = out.Extensions
	hasData := len(out.Data) > 0 && !bytes.Equal(out.Data, []byte("null"))
	if len(out.Errors) > 0 {
		if hasData && resp.Data != nil {
			_ = json.Unmarshal(out.Data, resp.Data) // partial data, best effort
		}
		e := g.answerError(ctx, name, hr, ans, out.body, &Error{Errors: out.Errors})
		return fmt.Errorf("dlive: %s: %w", name, e)
	}
	if !hasData {
		return fmt.Errorf("dlive: %s: the answer (HTTP %d) has neither data nor errors", name, status)
	}
	if o.mutation {
		if e := mutationError(out.Data); e != nil {
			return fmt.Errorf("dlive: %s: %w", name, g.answerError(ctx, name, hr, ans, out.body, e))
		}
	}
	if resp.Data != nil {
		if err := json.Unmarshal(out.Data, resp.Data); err != nil {
			return fmt.Errorf("dlive: %s: decoding the answer's data (HTTP %d): %w", name, status, err)
		}
	}
	return nil
}

// answerError completes e, made of a 2xx answer to hr that reports an
// error, with what every provider's error carries, all clean of secrets
// as apiclient cleans a non-2xx answer.
func (g graphqlClient) answerError(ctx context.Context, name string, hr *http.Request, ans apiclient.Answer, body []byte, e *Error) *Error {
	meta := g.c.api.Response(ctx, ans)
	e.APIError = onair.APIError{
		StatusCode: ans.StatusCode,
		Operation:  name,
		Method:     hr.Method,
		Path:       apiclient.Line(hr.URL.EscapedPath()),
		RequestID:  meta.RequestID,
		Header:     meta.Header,
		Body:       excerpt(apiclient.Clean(ctx, g.c.api, ans, json.RawMessage(body))),
	}
	e.RetryAfter, _ = apiclient.RetryAfter(meta.Header)
	return cleanAnswer(ctx, g.c.api, ans, e)
}

// callOptionsKey is the context key under which a facade hands its
// per-call options to MakeRequest, which genqlient calls without them.
type callOptionsKey struct{}

func withCallOptions(ctx context.Context, opts []onair.CallOption) context.Context {
	if len(opts) == 0 {
		return ctx
	}
	return context.WithValue(ctx, callOptionsKey{}, opts)
}

func callOptions(ctx context.Context) []onair.CallOption {
	opts, _ := ctx.Value(callOptionsKey{}).([]onair.CallOption)
	return opts
}

// mutationError returns the err {code message} of a mutation's payload, or
// nil when it is null or absent.
func mutationError(data json.RawMessage) *Error {
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return nil
	}
	// In name order, so that the same answer always gives the same error.
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		payload := fields[name]
		var p struct {
			Err *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"err"`
		}
		if json.Unmarshal(payload, &p) == nil && p.Err != nil {
			msg := p.Err.Message
			if msg == "" {
				msg = "the mutation was refused"
			}
			return &Error{Code: p.Err.Code, Message: msg}
		}
	}
	return nil
}
