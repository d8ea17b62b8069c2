package livestormtest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/onair-go/onair/livestorm/internal/server"
)

// writeError writes Livestorm's JSON:API error document. Its status member
// is the machine name of the HTTP status ("unauthorized",
// "too_many_requests"), as Livestorm sends it; code carries the finer
// reason ("invalid_token", "insufficient_scope") when there is one.
func writeError(w http.ResponseWriter, status int, code, message string) {
	title := http.StatusText(status)
	obj := server.ErrorObject{Status: cmp.Or(strings.ToLower(strings.ReplaceAll(title, " ", "_")), "error")}
	if title != "" {
		obj.Title = &title
	}
	if code != "" && code != obj.Status {
		obj.Code = &code
	}
	if message != "" {
		obj.Detail = &message
	}
	w.Header().Set("Content-Type", "application/vnd.api+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(server.ErrorDocument{Errors: []server.ErrorObject{obj}})
}

// apiError is a failure an operation answers with one of the statuses its
// spec declares.
type apiError struct {
	status int
	detail string
}

func (e *apiError) Error() string { return e.detail }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, detail: fmt.Sprintf(format, args...)}
}

func notFound(what string) error {
	return errorf(http.StatusNotFound, "The %s you requested could not be found.", what)
}

// respondError answers an operation's error: its own status for an
// apiError, 500 for anything else (a bug of the sandbox).
func respondError(w http.ResponseWriter, _ *http.Request, err error) {
	var e *apiError
	if errors.As(err, &e) {
		writeError(w, e.status, "", e.detail)
		return
	}
	writeError(w, http.StatusInternalServerError, "", err.Error())
}

// badRequest answers a request whose parameters or body do not decode.
func badRequest(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, "", err.Error())
}
