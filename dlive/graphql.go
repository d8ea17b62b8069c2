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
}

// MakeRequest sends one genqlient request. The operation's scopes come from
// the generated table, by req.OpName. A 2xx answer with GraphQL errors, or a
// mutation whose payload's err is set, becomes an *Error carrying the HTTP
// status; other answers than 2xx become an *Error through decodeError.
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
	var out graphqlAnswer
	status, err := g.c.api.DoStatus(ctx, o.op, hr, &out, callOptions(ctx))
	if err != nil {
		return err
	}
	resp.Extensions = out.Extensions
	hasData := len(out.Data) > 0 && !bytes.Equal(out.Data, []byte("null"))
	if len(out.Errors) > 0 {
		if hasData && resp.Data != nil {
			_ = json.Unmarshal(out.Data, resp.Data) // partial data, best effort
		}
		return fmt.Errorf("dlive: %s: %w", name, cleanAnswer(ctx, g.c.api, &Error{APIError: onair.APIError{StatusCode: status, Operation: name, Method: hr.Method, Path: hr.URL.EscapedPath()}, Errors: out.Errors}))
	}
	if !hasData {
		return fmt.Errorf("dlive: %s: the answer (HTTP %d) has neither data nor errors", name, status)
	}
	if o.mutation {
		if e := mutationError(out.Data); e != nil {
			e.StatusCode = status
			return fmt.Errorf("dlive: %s: %w", name, cleanAnswer(ctx, g.c.api, e))
		}
	}
	if resp.Data != nil {
		if err := json.Unmarshal(out.Data, resp.Data); err != nil {
			return fmt.Errorf("dlive: %s: decoding the answer's data (HTTP %d): %w", name, status, err)
		}
	}
	return nil
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
