package streamdivertest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/onair-go/onair/streamdiver/internal/server"
)

// writeError writes Streamdiver's JSend error body for the engine's
// answers; code, a machine code such as invalid_token, has no place in
// JSend, whose numeric code is the status.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeBody(w, status, errorBody(status, "", message))
}

func writeBody(w http.ResponseWriter, status int, e server.ErrorBody) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(e)
}

// errorBody is a JSend error body, as the spec's Error schema and
// streamdiver's decodeError read it: for a request the client must correct
// (400, 409, 422) a "fail" whose data maps the offending field ("request"
// when unknown) to what is wrong with it; otherwise an "error" with a
// message and the status as its code.
func errorBody(status int, field, message string) server.ErrorBody {
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		if field == "" {
			field = "request"
		}
		return server.ErrorBody{Status: server.JSendStatusFail, Data: &map[string]any{field: message}}
	}
	return server.ErrorBody{Status: server.JSendStatusError, Message: &message, Code: &status}
}

func (e *invalid) body() server.BadRequestJSONResponse {
	return server.BadRequestJSONResponse(errorBody(http.StatusBadRequest, e.field, e.reason))
}

// blank refuses an empty or blank text field.
func blank(field, s string) *invalid {
	if strings.TrimSpace(s) == "" {
		return &invalid{field, field + " must not be empty"}
	}
	return nil
}

// rename sets *to to name, if given and not blank.
func rename(to, name *string) *invalid {
	if name == nil {
		return nil
	}
	if bad := blank("name", *name); bad != nil {
		return bad
	}
	*to = *name
	return nil
}

func badRequest(field, reason string) server.BadRequestJSONResponse {
	return (&invalid{field, reason}).body()
}

func notFound(what string) server.NotFoundJSONResponse {
	return server.NotFoundJSONResponse(errorBody(http.StatusNotFound, "", what+" not found"))
}

// conflict says the resource is not in a state that allows the request;
// like the spec's example, it names the status field.
func conflict(reason string) server.ConflictJSONResponse {
	return server.ConflictJSONResponse(errorBody(http.StatusConflict, "status", reason))
}

// paramName names the parameter the generated router could not bind.
func paramName(err error) string {
	var (
		format    *server.InvalidParamFormatError
		required  *server.RequiredParamError
		unmarshal *server.UnmarshalingParamError
		many      *server.TooManyValuesForParamError
	)
	switch {
	case errors.As(err, &format):
		return format.ParamName
	case errors.As(err, &required):
		return required.ParamName
	case errors.As(err, &unmarshal):
		return unmarshal.ParamName
	case errors.As(err, &many):
		return many.ParamName
	}
	return ""
}
