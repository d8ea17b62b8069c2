package sidebyside

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The bare server answers exactly what the recorder saw, and the caller
// of the recorder still reads the whole body.
func TestRecordAndReplay(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.api+json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"data":{"id":"1"}}`)
	}))
	defer origin.Close()
	rec := &Recorder{Base: origin.Client().Transport}
	c := &http.Client{Transport: rec}
	first := get(t, c, origin.URL+"/x")
	bare := Bare(t, rec.Last())
	again := get(t, bare.Client(), bare.URL+"/anything")
	want := &Answer{Status: http.StatusCreated, ContentType: "application/vnd.api+json", Body: []byte(`{"data":{"id":"1"}}`)}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("through the recorder (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("from the bare server (-want +got):\n%s", diff)
	}
}

func get(t *testing.T, c *http.Client, url string) *Answer {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Answer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: body}
}
