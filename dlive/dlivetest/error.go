package dlivetest

import (
	"encoding/json"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// writeError writes DLive's error body, a GraphQL answer with no data and
// one error, as dlive's decodeError reads it; code goes in the error's
// extensions.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": code}}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
