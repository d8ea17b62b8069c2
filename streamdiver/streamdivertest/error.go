package streamdivertest

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// apiError is an answer other than a success, with a status the
// operation's spec declares. As the spec's Error schema and streamdiver's
// decodeError read it, a request the client must correct (400, 409, 422)
// gets a JSend "fail" whose data maps the offending field ("request" when
// unknown) to what is wrong with it; any other status an "error" with a
// message and the status as its code.
type apiError struct {
	status         int
	field, message string
}

func (e *apiError) Error() string { return e.message }

func (e *apiError) body() server.ErrorBody {
	switch e.status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		return server.ErrorBody{Status: server.JSendStatusFail, Data: &map[string]any{cmp.Or(e.field, "request"): e.message}}
	}
	return server.ErrorBody{Status: server.JSendStatusError, Message: &e.message, Code: &e.status}
}

func badRequest(field, reason string) *apiError {
	return &apiError{http.StatusBadRequest, field, reason}
}

func notFound(what string) *apiError {
	return &apiError{http.StatusNotFound, "", what + " not found"}
}

// conflict says the resource is not in a state that allows the request;
// like the spec's example, it names the status field.
func conflict(reason string) *apiError {
	return &apiError{http.StatusConflict, "status", reason}
}

// writeError writes Streamdiver's JSend error body for the engine's
// answers; code, a machine code such as invalid_token, has no place in
// JSend, whose numeric code is the status.
func writeError(w http.ResponseWriter, status int, code, message string) {
	respondError(w, nil, &apiError{status: status, message: message})
}

// respondError answers an operation's error: its own status for an
// apiError, 500 for any other (a bug of the sandbox).
func respondError(w http.ResponseWriter, _ *http.Request, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = &apiError{status: http.StatusInternalServerError, message: err.Error()}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(e.body())
}

// blank refuses an empty or blank text field.
func blank(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return badRequest(field, field+" must not be empty")
	}
	return nil
}

// blankIfGiven refuses a text field that is given but empty or blank.
func blankIfGiven(field string, s *string) error {
	if s == nil {
		return nil
	}
	return blank(field, *s)
}

// patch writes body, an update's request body, onto *dst as table.Patch
// does, unless a check failed: then it returns the first failure.
func patch(dst, body any, checks ...error) error {
	err := cmp.Or(checks...)
	if err == nil {
		table.Patch(dst, body)
	}
	return err
}

// paramName names the parameter the generated router could not bind:
// each of its errors about a parameter has the name in a ParamName.
func paramName(err error) string {
	for ; err != nil; err = errors.Unwrap(err) {
		if v := reflect.Indirect(reflect.ValueOf(err)); v.Kind() == reflect.Struct {
			if f := v.FieldByName("ParamName"); f.Kind() == reflect.String {
				return f.String()
			}
		}
	}
	return ""
}
