package sandbox

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/onair-go/onair/internal/apispec"
)

// A Checker checks exchanges recorded elsewhere (a cassette of a real
// provider's traffic) against a spec, with the router and validators the
// sandbox checks its own traffic with.
type Checker struct {
	route   router
	request validateRequest
	answer  validateAnswer
}

// ErrNoOperation is returned by Checker.Check for a request the spec has
// no operation for.
var ErrNoOperation = errors.New("the spec has no operation for the method and path")

// NewChecker returns a Checker of spec, which must name no servers (as
// LoadSpec leaves it).
func NewChecker(spec *apispec.Spec) (*Checker, error) {
	route, err := compiledRouter(spec)
	if err != nil {
		return nil, err
	}
	answer, err := compiledAnswers(spec)
	if err != nil {
		return nil, err
	}
	return &Checker{route: route, request: kinRequests(nil), answer: answer}, nil
}

// Check routes r, whose URL path is relative to the spec's server, and
// checks it and its answer. It returns the operation, or ErrNoOperation,
// and what the request and the answer contradict in the spec, an answer
// status the operation does not declare (nor a default answer) among
// them. Credentials are not checked: a recording's are redacted.
func (c *Checker) Check(r *http.Request, status int, header http.Header, body []byte) (op *apispec.Operation, requestErr, answerErr error) {
	m, err := c.route(r)
	if err != nil {
		return nil, ErrNoOperation, nil
	}
	if err := c.request(r, m); err != nil {
		requestErr = err
	}
	if m.op.Op.Responses.Status(status) == nil && m.op.Op.Responses.Default() == nil {
		return m.op, requestErr, fmt.Errorf("status %d is not among the operation's answers", status)
	}
	answerErr = c.answer(r, m, status, header, body, true)
	return m.op, requestErr, answerErr
}
