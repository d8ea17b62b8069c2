package acmetest

import (
	"encoding/json"
	"net/http"

	"github.com/onair-go/onair/internal/gen/testdata/acme/internal/server"
)

// writeError writes Acme's error body, {error, message}, as the spec's
// Error schema and the client's decodeError read it.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(server.ErrorBody{Error: code, Message: &message})
}
