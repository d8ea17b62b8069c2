package livepushtest

import (
	"encoding/json"
	"net/http"

	"github.com/onair-go/onair/livepush/internal/server"
)

// writeError writes Livepush's error body, {message, code, statusCode}, as
// the spec's Error schema and the client's decodeError read it.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorBody(status, code, message))
}

func errorBody(status int, code, message string) server.ErrorBody {
	e := server.ErrorBody{Message: message, StatusCode: &status}
	if code != "" {
		e.Code = &code
	}
	return e
}

// The error answers the handlers give themselves.

func badRequest(message string) server.BadRequestJSONResponse {
	return server.BadRequestJSONResponse(errorBody(http.StatusBadRequest, "bad_request", message))
}

func notFound(what string) server.NotFoundJSONResponse {
	return server.NotFoundJSONResponse(errorBody(http.StatusNotFound, "not_found", what+" not found"))
}

func invalid(message string) server.UnprocessableEntityJSONResponse {
	return server.UnprocessableEntityJSONResponse(errorBody(http.StatusUnprocessableEntity, "validation_failed", message))
}
