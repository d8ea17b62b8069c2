package livepushtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// errorAnswer is an operation's refusal as it goes on the wire.
type errorAnswer struct {
	Status      int
	ContentType string
	Body        map[string]any
}

// The operations' own refusals (not found, invalid) are Livepush's error
// body, {message, code, statusCode}, as JSON with the status the spec
// declares.
func TestErrorAnswers(t *testing.T) {
	srv := livepushtest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.All[scopes.Livepush]()...)
	const stream = "/streams/st_4kX9mQ2pL7vRz"
	body := func(status int, code, message string) errorAnswer {
		return errorAnswer{status, "application/json", map[string]any{"message": message, "code": code, "statusCode": float64(status)}}
	}
	for _, tc := range []struct {
		method, path, body string
		want               errorAnswer
	}{
		{"GET", "/streams/st_nope", "", body(404, "not_found", "Stream not found")},
		{"POST", "/inspector/get_metadata", `{"url":"ftp://example.com/a.mp4"}`, body(422, "validation_failed", "url must be an S3 or HTTPS URL")},
		{"PATCH", stream + "/destinations/pb_nope", `{"label":"x"}`, body(404, "not_found", "Destination not found")},
		{"PATCH", "/streams/st_nope/destinations/pb_2Yk7Gt4Wc", `{"label":"x"}`, body(404, "not_found", "Stream not found")},
		{"PATCH", stream + "/destinations/pb_2Yk7Gt4Wc", `{"rtmpBase":"http://x"}`, body(422, "validation_failed", "rtmpBase must be an rtmp:// or rtmps:// URL")},
		{"PUT", stream + "/destinations/pb_nope/enable", "", body(404, "not_found", "Destination not found")},
		{"DELETE", stream + "/videos/vid_nope", "", body(404, "not_found", "Video not found")},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			tok.SetAuthHeader(req)
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			got := errorAnswer{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type")}
			json.NewDecoder(res.Body).Decode(&got.Body)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}
