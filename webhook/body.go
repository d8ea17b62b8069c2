package webhook

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// DefaultBodyLimit is the body size receivers accept unless told
// otherwise: 1 MiB, far above any documented delivery.
const DefaultBodyLimit = 1 << 20

// ReadBody reads r's body, at most limit bytes (DefaultBodyLimit if limit
// is not positive). On failure it has already answered the request, 413
// for a body over the limit and 400 for a body that could not be read, and
// returns an error saying why; the caller must not write to w again.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		return body, nil
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, fmt.Sprintf("The body is over %d bytes; send a smaller delivery.", tooLarge.Limit), http.StatusRequestEntityTooLarge)
		return nil, fmt.Errorf("webhook: a delivery's body is over the %d-byte limit; raise the receiver's body limit if the provider sends more: %w", tooLarge.Limit, err)
	}
	http.Error(w, "The body could not be read; send the delivery again.", http.StatusBadRequest)
	return nil, fmt.Errorf("webhook: reading a delivery's body: %w", err)
}
