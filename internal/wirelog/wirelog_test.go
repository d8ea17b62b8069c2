package wirelog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// records decodes the JSON lines a slog.JSONHandler wrote.
func records(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for line := range strings.Lines(out) {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		recs = append(recs, r)
	}
	return recs
}

func assertNoSecret(t *testing.T, out string, secrets map[string]string) {
	t.Helper()
	for name, s := range secrets {
		if form, ok := leaktest.Find(out, s); ok {
			t.Errorf("the log shows the %s (%s):\n%s", name, form, out)
		}
	}
}

// A client with a debug logger logs each attempt and the call's summary,
// a retry after a 503 at info level too, and never the token.
func TestClientLogger(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivestormIdentityRead)
	for _, tc := range []struct {
		level slog.Level
		want  []string // "message level status" of each record
	}{
		{slog.LevelDebug, []string{
			"onair: HTTP exchange DEBUG 503",
			"onair: HTTP exchange DEBUG 204",
			"onair: call retried INFO 204",
		}},
		{slog.LevelInfo, []string{"onair: call retried INFO 204"}},
		{slog.LevelWarn, nil},
	} {
		t.Run(tc.level.String(), func(t *testing.T) {
			if err := srv.FailOperation(livestorm.OpIdentityPing, http.StatusServiceUnavailable, 1); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			l := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: tc.level}))
			c, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL), livestorm.WithLogger(l))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Identity.Ping(t.Context()); err != nil {
				t.Fatal(err)
			}
			var got []string
			recs := records(t, out.String())
			for _, r := range recs {
				got = append(got, r["msg"].(string)+" "+r["level"].(string)+" "+jsonInt(r["status"]))
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("records (-want +got):\n%s\n%s", d, out.String())
			}
			for _, r := range recs {
				switch r["msg"] {
				case "onair: HTTP exchange":
					if r["credentials"] != "Bearer" || r["operation"] != "Identity.Ping" || r["method"] != "GET" || !strings.HasPrefix(r["url"].(string), srv.URL) {
						t.Errorf("exchange record %v: want Bearer credentials, operation Identity.Ping, GET to the sandbox", r)
					}
				case "onair: call retried":
					if r["attempts"] != 2.0 || r["retries"] != 1.0 || r["provider"] != "livestorm" {
						t.Errorf("summary %v: want 2 attempts, 1 retry, provider livestorm", r)
					}
				}
			}
			assertNoSecret(t, out.String(), map[string]string{"access token": tok.AccessToken})
		})
	}
}

func jsonInt(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A token request's exchange shows allow-listed parameters and headers
// only; the credentials in its header, query and form, and an answer's
// header that echoes them, are redacted.
func TestTransportRedacts(t *testing.T) {
	const (
		secret  = "cs/9Kx+Qz=Vw~Lm.42Rb"
		code    = "ac+7Hn/Pq=Rt.88Sd~Fg"
		refresh = "rt/Gq2+Hw4=Jy6.Kc8~Lv"
		email   = "jane@example.com"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Www-Authenticate", `Bearer error="invalid_client", error_description="bad secret `+secret+` and `+r.Header.Get("Authorization")+`"`)
		w.Header().Set("Set-Cookie", "session="+refresh)
		w.Header().Set("X-Request-Id", "req-42")
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	var out bytes.Buffer
	l := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := &http.Client{Transport: wirelog.Transport(l, nil)}
	form := "grant_type=authorization_code&code=" + code + "&refresh_token=" + strings.ReplaceAll(refresh, "+", "%2B")
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/oauth/token?page=2&client_secret="+strings.ReplaceAll(secret, "+", "%2B")+"&filter[email]="+email, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("client-id", secret)
	req.Header.Set("Cookie", "session="+refresh)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	got := out.String()
	for _, want := range []string{"page=2", "client_secret=[redacted]", "status=401", "request_id=req-42", "credentials=Basic", "invalid_client", "Content-Type=application/x-www-form-urlencoded"} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"Cookie", "Set-Cookie", "Authorization"} {
		if strings.Contains(got, never+"=") {
			t.Errorf("log shows the %s header:\n%s", never, got)
		}
	}
	assertNoSecret(t, got, map[string]string{"client secret": secret, "code": code, "refresh token": refresh, "e-mail filter": email})
}

// A debug logger that is off makes an exchange skip all logging work.
func TestTransportOff(t *testing.T) {
	var out bytes.Buffer
	l := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sent := 0
	rt := wirelog.Transport(l, roundTrip(func(*http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 204, Body: http.NoBody, Header: http.Header{}}, nil
	}))
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://127.0.0.1/x", nil)
	if _, err := rt.RoundTrip(req); err != nil || sent != 1 || out.Len() != 0 {
		t.Errorf("err %v, %d sent, log %q: want the request sent once and nothing logged", err, sent, out.String())
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// No logger, no hooks: a client given WithLogger(nil) takes none of the
// hooks' paths.
func TestNilLogger(t *testing.T) {
	if h := wirelog.Hooks(nil); h.Operation != nil || h.Attempt != nil || h.Event != nil {
		t.Error("Hooks(nil) has hooks")
	}
}
