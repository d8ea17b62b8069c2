package cassette_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/onair-go/onair/cassette"
)

// A cookie that carries a setting, not a session, makes its value a
// secret removed from every body: a language or a status the API answers
// is lost. Only a cookie whose value could be a credential should be.
func TestCookieSettingKeepsData(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "locale", Value: "en-US"})
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[{"id":"ev1","attributes":{"language":"en-US","status":"published"}}]}`)
	}))
	defer srv.Close()
	rec := cassette.NewRecorder("livestorm", nil)
	res, err := (&http.Client{Transport: rec}).Get(srv.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	body := string(rec.Cassette().Interactions[0].Response.Body)
	if !strings.Contains(body, `"language":"en-US"`) {
		t.Errorf("the answer lost its language to the locale cookie: %s", body)
	}
}

// A session cookie's value is a secret wherever the answer echoes it,
// short or long.
func TestSessionCookieRemoved(t *testing.T) {
	for _, c := range []http.Cookie{{Name: "sid", Value: "a1b2c3d4"}, {Name: "prefs", Value: "0123456789abcdef-long"}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &c)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"echo":"`+c.Value+`"}`)
		}))
		rec := cassette.NewRecorder("livestorm", nil)
		res, err := (&http.Client{Transport: rec}).Get(srv.URL + "/events")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		srv.Close()
		if body := string(rec.Cassette().Interactions[0].Response.Body); strings.Contains(body, c.Value) {
			t.Errorf("cookie %s: the answer still holds its value: %s", c.Name, body)
		}
	}
}
