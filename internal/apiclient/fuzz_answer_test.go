package apiclient_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/apiclient/leakcheck"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/streamdiver"
)

// The tokens FuzzDecodeAnswer's source hands out, the first refused by a
// 401 invalid_token.
const (
	fuzzStale   = "AT.f8zz/St4+le=Kq9wZr"
	fuzzFresh   = "AT.f8zz/Fr3+sh=Lp8yWs"
	fuzzRefresh = "RT.f8zz/R3f+r=Hm5uTn"
)

// fuzzCalls are the typed calls FuzzDecodeAnswer makes, one per provider
// and DLive's mutation, whose refusal comes in a 200.
var fuzzCalls = []func(ctx context.Context, src oauth2.TokenSource, hc *http.Client) error{
	func(ctx context.Context, src oauth2.TokenSource, hc *http.Client) error {
		c, err := livepush.NewClient(src, livepush.WithBaseURL("https://api.example/"), livepush.WithHTTPClient(hc))
		if err == nil {
			_, err = c.Streams.Get(ctx, "st_1")
		}
		return err
	},
	func(ctx context.Context, src oauth2.TokenSource, hc *http.Client) error {
		c, err := livestorm.NewClient(src, livestorm.WithBaseURL("https://api.example/v1"), livestorm.WithHTTPClient(hc))
		if err == nil {
			_, err = c.Events.Get(ctx, "8b3c7f9e-1d2a-4c5b-9e8f-0a1b2c3d4e5f")
		}
		return err
	},
	func(ctx context.Context, src oauth2.TokenSource, hc *http.Client) error {
		c, err := streamdiver.NewClient(src, streamdiver.WithBaseURL("https://api.example/v2"), streamdiver.WithHTTPClient(hc))
		if err == nil {
			_, err = c.Channels.Get(ctx, "8b3c7f9e-1d2a-4c5b-9e8f-0a1b2c3d4e5f")
		}
		return err
	},
	func(ctx context.Context, src oauth2.TokenSource, hc *http.Client) error {
		c, err := dlive.NewClient(src, dlive.WithBaseURL("https://api.example/"), dlive.WithHTTPClient(hc))
		if err == nil {
			_, err = c.Users.Get(ctx, "streamer")
		}
		return err
	},
	func(ctx context.Context, src oauth2.TokenSource, hc *http.Client) error {
		c, err := dlive.NewClient(src, dlive.WithBaseURL("https://api.example/"), dlive.WithHTTPClient(hc))
		if err == nil {
			err = c.Relationships.Follow(ctx, "streamer")
		}
		return err
	},
}

// FuzzDecodeAnswer sends a typed call of each provider to an API that
// answers any status, headers and body, in which "{token}" and "{refresh}"
// stand for the access token the request carried and the refresh token,
// in one of the forms an answer may echo them in. The call must not panic;
// its error, and every error of its chain, must be one line of printable,
// valid UTF-8 and quote no token in any rendering.
func FuzzDecodeAnswer(f *testing.F) {
	for i := range fuzzCalls {
		for _, seed := range []struct {
			status int
			header string
			body   string
		}{
			{400, "Content-Type: text/plain", "rejected header Authorization: Bearer {token}"},
			{401, "WWW-Authenticate: Bearer error=\"invalid_token\"\nX-Echo: {token}", `{"message":"invalid {token}"}`},
			{403, "WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"a {token}\", error_description=\"{token}\"", `{"errors":[{"status":"forbidden","detail":"{token}"}]}`},
			{404, "Content-Type: application/json", `{"status":"error","message":"no {token}","data":{"{token}":["{refresh}"]}}`},
			{429, "Retry-After: 0\nAuthorization: Bearer {token}", `{"errors":[{"message":"slow down {token}"}]}`},
			{500, "", strings.Repeat("é", 99) + "{token}" + strings.Repeat("日", 80)},
			{503, "Retry-After: 3600", "<html>\n<title>{token}</title>\x1b[2J</html>"},
			{200, "", `{"data":{"follow":{"err":{"code":1,"message":"{token}"}}},"errors":[{"message":"{refresh}\n"}]}`},
			{302, "Location: https://api.example/{token}?access_token={token}", ""},
			{418, "", `{"message":"\u0041T.f8zz\/St4\u002ble\u003dKq9wZr","code":"{token}"}`},
			{422, "", `{"message":"first\nsecond\u001b]0;title\u0007","code":"c\r\u202ed","status":"fail","data":{"k\n":["v\u0000"]},` +
				`"errors":[{"status":"x\ny","title":"t\u2028","detail":"d\u0085","message":"m\n"}]}`},
		} {
			for form := range leakcheck.Forms() {
				f.Add(uint8(i), seed.status, seed.header, []byte(seed.body), uint8(form))
			}
		}
	}
	forms := leakcheck.Forms()
	f.Fuzz(func(t *testing.T, call uint8, status int, header string, body []byte, formIndex uint8) {
		if status < 100 || status > 999 {
			status = 100 + (status%900+900)%900
		}
		form := forms[int(formIndex)%len(forms)]
		plant := func(s, cred string) string {
			return strings.NewReplacer("{token}", form.Encode(cred), "{refresh}", form.Encode(fuzzRefresh)).Replace(s)
		}
		base := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			cred := leakcheck.Credentials(req.Header.Get("Authorization"))
			if cred == "" {
				cred = fuzzStale
			}
			h := http.Header{}
			for _, line := range strings.Split(plant(header, cred), "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					h.Add(k, strings.TrimSpace(v))
				}
			}
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader([]byte(plant(string(body), cred)))),
				ContentLength: -1, Request: req}, nil
		})
		src := leakcheck.NewSource(
			&oauth2.Token{AccessToken: fuzzStale, RefreshToken: fuzzRefresh, Expiry: time.Now().Add(time.Hour)},
			&oauth2.Token{AccessToken: fuzzFresh, RefreshToken: fuzzRefresh, Expiry: time.Now().Add(time.Hour)},
		)
		// Any retry that would wait is past this deadline, so none waits;
		// what the checks below demand holds either way.
		ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
		defer cancel()
		// Two redirects show what following them does, and keep Livestorm's
		// pacing (five requests a second) out of the way.
		hc := &http.Client{Transport: base, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 2 {
				return errors.New("stopped after 2 redirects")
			}
			return nil
		}}
		err := fuzzCalls[int(call)%len(fuzzCalls)](ctx, src, hc)
		if err == nil {
			return
		}
		secrets := []string{fuzzStale, fuzzFresh, fuzzRefresh, form.Encode(fuzzStale), form.Encode(fuzzFresh), form.Encode(fuzzRefresh)}
		if where := leakcheck.Leak(err, secrets...); where != "" {
			t.Errorf("a secret leaks: %s", where)
		}
		if why := leakcheck.Line(err); why != "" {
			t.Errorf("not one line: %s", why)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
