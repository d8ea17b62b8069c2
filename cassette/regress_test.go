package cassette_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onair-go/onair/cassette"
)

// A token endpoint that compresses its answer (a client asked for gzip
// itself, so the transport hands the compressed body on): the refresh
// token in it must not reach the saved cassette, and Save must not
// accept a cassette in which it survives.
func TestGzipAnswerKeepsNoToken(t *testing.T) {
	const refresh = "RT-gzip-9f8e7d6c5b4a-only-in-the-answer"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, `{"access_token":"AT-gzip-1234567890","refresh_token":"`+refresh+`","token_type":"bearer"}`)
		zw.Close()
	}))
	defer srv.Close()
	rec := cassette.NewRecorder("livepush", nil)
	req, _ := http.NewRequest("POST", srv.URL+"/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Client{Transport: rec}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	path := filepath.Join(t.TempDir(), "c.json")
	if err := rec.Save(path); err != nil {
		return // refusing is acceptable
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range c.Interactions {
		body := in.Response.Body
		if in.Response.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		}
		if strings.Contains(string(body), refresh) {
			t.Errorf("the saved cassette holds the refresh token, gzip-compressed: %s", body)
		}
	}
}

// A stream key is a credential: whoever holds it broadcasts on the
// account's channel. Livepush answers it as streamKey, DLive as
// streamKey.key; neither may reach a saved cassette.
func TestStreamKeyRemoved(t *testing.T) {
	const key = "sk_live_9d8c7b6a5f4e3d2c"
	for name, body := range map[string]string{
		"livepush": `{"id":"d1","platform":"custom","streamKey":"` + key + `","url":"rtmp://ingest.example/live"}`,
		"dlive":    `{"data":{"me":{"private":{"streamKey":{"key":"` + key + `"}}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, body)
			}))
			defer srv.Close()
			rec := cassette.NewRecorder(name, nil)
			res, err := (&http.Client{Transport: rec}).Get(srv.URL + "/x")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			data, err := cassette.Encode(rec.Cassette())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), key) {
				t.Errorf("the cassette holds the stream key:\n%s", data)
			}
		})
	}
}

// A hand-edited cassette whose answer is gzip-compressed hides what it
// holds from Save's check: Save must refuse it rather than write a token
// it cannot see.
func TestSaveRefusesCompressedBody(t *testing.T) {
	var buf strings.Builder
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, `{"refresh_token":"RT-hidden-in-gzip-0123456789"}`)
	zw.Close()
	c := &cassette.Cassette{Provider: "livepush", Interactions: []cassette.Interaction{{
		Request:  cassette.Request{Method: "POST", URL: "https://tokens.livepush.io/oauth2/access_token"},
		Response: cassette.Response{Status: 200, Header: http.Header{"Content-Encoding": {"gzip"}}, Body: cassette.Body(buf.String())},
	}}}
	if _, err := cassette.Encode(c, "RT-hidden-in-gzip-0123456789"); err == nil {
		t.Error("Encode accepts a compressed answer that holds a known secret")
	}
}

// A hand-edited cassette that puts a stream key back is not as a Recorder
// leaves it: Save refuses it.
func TestSaveRefusesStreamKey(t *testing.T) {
	c := &cassette.Cassette{Provider: "livepush", Interactions: []cassette.Interaction{{
		Request:  cassette.Request{Method: "GET", URL: "https://octopus.livepush.io/streams/st1"},
		Response: cassette.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: cassette.Body(`{"id":"st1","streamKey":"sk_live_handedited"}`)},
	}}}
	if _, err := cassette.Encode(c); err == nil {
		t.Error("Encode accepts a cassette holding a stream key")
	}
}
