package livepushtest

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/onair-go/onair/livepush/internal/server"
)

// apiError is an answer other than a success: an operation returns it as
// its error, and the strict handler writes it in Livepush's shape.
type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string { return e.message }

func badRequest(message string) error {
	return &apiError{http.StatusBadRequest, "bad_request", message}
}

func notFound(what string) error {
	return &apiError{http.StatusNotFound, "not_found", what + " not found"}
}

func invalid(message string) error {
	return &apiError{http.StatusUnprocessableEntity, "validation_failed", message}
}

// respondError writes an operation's error: an apiError as it says, any
// other as a 500 (a bug of the sandbox).
func respondError(w http.ResponseWriter, _ *http.Request, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = &apiError{http.StatusInternalServerError, "internal_error", err.Error()}
	}
	writeError(w, e.status, e.code, e.message)
}

// writeError writes Livepush's error body, {message, code, statusCode}, as
// the spec's Error schema and the client's decodeError read it.
func writeError(w http.ResponseWriter, status int, code, message string) {
	e := server.ErrorBody{Message: message, StatusCode: &status}
	if code != "" {
		e.Code = &code
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(e)
}
