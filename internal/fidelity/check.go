package fidelity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/jsonschema"
	"github.com/onair-go/onair/internal/sandbox"
)

// A Verdict is what one recorded interaction says of the spec.
type Verdict string

const (
	// Confirms: the request and the answer are as the spec says.
	Confirms Verdict = "confirms"
	// Contradicts: the request or the answer is not as the spec says.
	Contradicts Verdict = "contradicts"
	// Unknown: the spec has no operation for the request.
	Unknown Verdict = "unknown"
	// OAuth: a request to the authorization server, which the spec does
	// not describe.
	OAuth Verdict = "oauth"
)

// A Finding is the verdict on one interaction.
type Finding struct {
	Interaction int // 1-based, in the cassette's order
	Provider    string
	// Operation is the spec's operationId, or for DLive the GraphQL
	// operation's name.
	Operation string
	Verdict   Verdict
	Problems  []Problem // what contradicts the spec
}

// A Problem is one contradiction.
type Problem struct {
	In      string // "request" or "answer"
	Pointer string // the JSON pointer of the field, "" for the root or a non-body part
	Reason  string
}

func (p Problem) String() string {
	if p.Pointer == "" {
		return p.In + ": " + p.Reason
	}
	return p.In + " " + p.Pointer + ": " + p.Reason
}

// Check checks each interaction of c against the spec of its provider.
func Check(c *cassette.Cassette, specs map[string]*Spec) ([]Finding, error) {
	var out []Finding
	for i, in := range c.Interactions {
		name := c.ProviderOf(i)
		s, ok := specs[name]
		if !ok {
			return nil, fmt.Errorf("fidelity: interaction %d: no spec for provider %q", i+1, name)
		}
		f, err := s.check(in)
		if err != nil {
			return nil, fmt.Errorf("fidelity: interaction %d: %w", i+1, err)
		}
		f.Interaction, f.Provider = i+1, name
		out = append(out, f)
	}
	return out, nil
}

func (s *Spec) check(in cassette.Interaction) (Finding, error) {
	u, err := url.Parse(in.Request.URL)
	if err != nil {
		return Finding{}, fmt.Errorf("the request URL: %w", err)
	}
	if s.isOAuth(u) {
		return Finding{Operation: u.Path, Verdict: OAuth}, nil
	}
	rel := *u
	rel.Scheme, rel.Host, rel.Path, rel.RawPath = "", "", s.relative(u), ""
	req, err := http.NewRequest(in.Request.Method, rel.String(), bytes.NewReader(in.Request.Body))
	if err != nil {
		return Finding{}, fmt.Errorf("the request: %w", err)
	}
	req.Header = in.Request.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	op, reqErr, ansErr := s.checker.Check(req, in.Response.Status, in.Response.Header, in.Response.Body)
	if errors.Is(reqErr, sandbox.ErrNoOperation) {
		return Finding{Operation: in.Request.Method + " " + rel.Path, Verdict: Unknown}, nil
	}
	f := Finding{Operation: op.ID, Verdict: Confirms}
	if name := graphQLName(in.Request.Body); name != "" {
		f.Operation = name
	}
	f.Problems = append(problems("request", reqErr), problems("answer", ansErr)...)
	if s.graphql != nil && in.Response.Status == http.StatusOK {
		f.Problems = append(f.Problems, checkGraphQL(s.graphql, in.Request.Body, in.Response.Body)...)
	}
	if len(f.Problems) > 0 {
		f.Verdict = Contradicts
	}
	return f, nil
}

// graphQLName is the operation name of a GraphQL request body, if it is
// one.
func graphQLName(body []byte) string {
	var q struct {
		OperationName string `json:"operationName"`
		Query         string `json:"query"`
	}
	if json.Unmarshal(body, &q) != nil || q.Query == "" {
		return ""
	}
	return q.OperationName
}

// problems lists the contradictions err reports, each with the JSON
// pointer of its field where the validator knows it.
func problems(in string, err error) []Problem {
	if err == nil {
		return nil
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) && len(multi) > 0 {
		var out []Problem
		for _, e := range multi {
			out = append(out, problems(in, e)...)
		}
		return out
	}
	var je *jsonschema.Error
	if errors.As(err, &je) {
		return []Problem{{In: in, Pointer: je.Pointer, Reason: je.Reason}}
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		p := ""
		for _, name := range se.JSONPointer() {
			p = pointerTo(p, name)
		}
		var re *openapi3filter.RequestError
		if errors.As(err, &re) && re.Parameter != nil {
			p = re.Parameter.In + " " + re.Parameter.Name + p
		}
		return []Problem{{In: in, Pointer: p, Reason: se.Reason}}
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Parameter != nil {
		return []Problem{{In: in, Pointer: re.Parameter.In + " " + re.Parameter.Name, Reason: re.Reason}}
	}
	return []Problem{{In: in, Reason: oneLine(err.Error())}}
}

// pointerEscaper escapes a member name as a JSON pointer's token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerTo returns the JSON pointer of the member name of the value at
// the pointer parent.
func pointerTo(parent, name string) string {
	return parent + "/" + pointerEscaper.Replace(name)
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// Summary is the verdict per operation of a provider: it contradicts the
// spec if any interaction of it does, else confirms it if any does.
func Summary(findings []Finding) map[string]Verdict {
	out := map[string]Verdict{}
	for _, f := range findings {
		key := f.Provider + " " + f.Operation
		if out[key] != Contradicts {
			out[key] = f.Verdict
		}
	}
	return out
}

// Write writes findings for people, one line each and the problems under
// them.
func Write(w io.Writer, findings []Finding) {
	for _, f := range findings {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", f.Interaction, f.Provider, f.Operation, f.Verdict)
		for _, p := range f.Problems {
			fmt.Fprintf(w, "\t\t%s\n", p)
		}
	}
}
