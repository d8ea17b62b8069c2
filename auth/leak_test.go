package auth_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

// The secrets of the leak test. Each holds characters that every encoding
// changes ('/', '+', '=', '~', '.'), so that a redactor that knows only the
// raw form, or only one escaping, is caught.
const (
	leakClientID     = "onair-leak-client"
	leakClientSecret = "cs/9Kx+Qz=Vw~Lm.42Rb"
	leakCode         = "ac+7Hn/Pq=Rt.88Sd~Fg"
	leakVerifier     = "pv-Zt4~Yb8.Uc6_Ld2-Xe0~Wf5.Ma3_Ng1-Ok7~Pj9.Qi"
	leakRefresh      = "rt/Gq2+Hw4=Jy6.Kc8~Lv"
	// What the server hands out in its malformed 2xx answers.
	leakIssuedAccess  = "at.Kz3+Lx5/Mv7=Nb9~Pc"
	leakIssuedRefresh = "nr~Qd1/Re3+Sf5=Tg7.Uh"
	leakIssuedID      = "eyJ.id/Vj2+Wk4=Xl6~Ym"
)

var leakSecrets = []struct{ name, value string }{
	{"client secret", leakClientSecret},
	{"code", leakCode},
	{"code verifier", leakVerifier},
	{"refresh token", leakRefresh},
	{"issued access token", leakIssuedAccess},
	{"issued refresh token", leakIssuedRefresh},
	{"issued id token", leakIssuedID},
}

// leakGrant is one grant of one provider, run against a token endpoint at
// tokenURL.
type leakGrant struct {
	name     string
	endpoint auth.Endpoint
	call     func(ctx context.Context, e auth.Endpoint) error
}

func leakConfig[S scopes.Scope](e auth.Endpoint, sc ...S) *auth.Config[S] {
	return &auth.Config[S]{ClientID: leakClientID, ClientSecret: leakClientSecret, RedirectURL: redirectURI, Scopes: sc, Endpoint: e}
}

func leakGrants() []leakGrant {
	exchange := func(ctx context.Context, c interface {
		Exchange(context.Context, string, ...oauth2.AuthCodeOption) (*oauth2.Token, error)
	}) error {
		_, err := c.Exchange(ctx, leakCode, oauth2.VerifierOption(leakVerifier))
		return err
	}
	lp := func(e auth.Endpoint) *auth.Config[scopes.Livepush] { return leakConfig(e, scopes.LivepushStreamsRead) }
	ls := func(e auth.Endpoint) *auth.Config[scopes.Livestorm] { return leakConfig(e, scopes.LivestormEventsRead) }
	dl := func(e auth.Endpoint) *auth.Config[scopes.DLive] {
		return leakConfig(e, scopes.DLiveIdentity, scopes.DLiveChatWrite)
	}
	sd := func(e auth.Endpoint) *auth.Config[scopes.Streamdiver] { return leakConfig[scopes.Streamdiver](e) }
	granted := (&oauth2.Token{AccessToken: "old-access", RefreshToken: leakRefresh}).WithExtra(map[string]any{"scope": "identity chat:write"})
	return []leakGrant{
		{"livepush GET exchange", livepush.Endpoint, func(ctx context.Context, e auth.Endpoint) error { return exchange(ctx, lp(e)) }},
		{"livepush GET refresh", livepush.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			_, err := lp(e).Refresh(ctx, leakRefresh)
			return err
		}},
		{"livestorm PKCE exchange", livestorm.Endpoint, func(ctx context.Context, e auth.Endpoint) error { return exchange(ctx, ls(e)) }},
		{"livestorm refresh", livestorm.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			_, err := ls(e).Refresh(ctx, leakRefresh)
			return err
		}},
		{"dlive Basic exchange", dlive.Endpoint, func(ctx context.Context, e auth.Endpoint) error { return exchange(ctx, dl(e)) }},
		{"dlive Basic refresh", dlive.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			_, err := dl(e).Refresh(ctx, leakRefresh)
			return err
		}},
		{"dlive Basic narrow", dlive.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			_, err := dl(e).Narrow(ctx, granted, scopes.DLiveIdentity)
			return err
		}},
		{"dlive Basic client credentials", dlive.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			_, err := dl(e).ClientCredentials(ctx)
			return err
		}},
		{"streamdiver realm client credentials", streamdiver.Endpoint("acme"), func(ctx context.Context, e auth.Endpoint) error {
			_, err := sd(e).ClientCredentials(ctx)
			return err
		}},
	}
}

// seenRequest is a token request as the raw server read it.
type seenRequest struct {
	method string
	target string // path and query
	auth   string // the Authorization header
	body   string
	params [][2]string // query, form and Basic credentials, in order
}

// echo is what a careless server quotes back: the request line, the
// Authorization header and the body.
func (r *seenRequest) echo() string {
	s := r.method + " " + r.target
	if r.auth != "" {
		s += "\nAuthorization: " + r.auth
	}
	if r.body != "" {
		s += "\n" + r.body
	}
	return s
}

// oneWord is the echo with no white space, which net/http quotes whole in
// its protocol errors.
func (r *seenRequest) oneWord() string {
	return strings.Join(strings.Fields(r.echo()), "|")
}

func readRequest(conn net.Conn) (*seenRequest, error) {
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r := &seenRequest{method: req.Method, target: req.RequestURI, auth: req.Header.Get("Authorization"), body: string(body)}
	add := func(v url.Values) {
		for _, k := range slices.Sorted(maps.Keys(v)) {
			for _, s := range v[k] {
				r.params = append(r.params, [2]string{k, s})
			}
		}
	}
	add(req.URL.Query())
	if form, err := url.ParseQuery(r.body); err == nil {
		add(form)
	}
	if id, secret, ok := req.BasicAuth(); ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		r.params = append(r.params, [2]string{"client_id", id}, [2]string{"client_secret", secret})
	}
	return r, nil
}

// leakShape is one way a token endpoint can fail.
type leakShape struct {
	name string
	// answer writes the raw answer to the request; the connection is
	// closed when it returns.
	answer func(ctx context.Context, w io.Writer, r *seenRequest)
	// check, when set, says what the caller must still be able to inspect.
	check func(t *testing.T, err error)
	// deadline gives the request a short deadline.
	deadline bool
}

func rawAnswer(f func(r *seenRequest) string) func(context.Context, io.Writer, *seenRequest) {
	return func(_ context.Context, w io.Writer, r *seenRequest) { io.WriteString(w, f(r)) }
}

func httpAnswer(status int, header string, body string) string {
	return fmt.Sprintf("HTTP/1.1 %d %s\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), header, len(body), body)
}

func wantURLError(t *testing.T, err error) {
	t.Helper()
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Errorf("err = %v, want a *url.Error in its chain", err)
	}
}

func wantAuthError(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *auth.Error
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Errorf("err = %v, want an *auth.Error with HTTP %d", err, status)
		}
	}
}

// transportShapes break the HTTP exchange itself, so that the error comes
// from net/http, which quotes what it could not parse.
func transportShapes() []leakShape {
	return []leakShape{
		{name: "transport: status code is the echoed request", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string { return "HTTP/1.1 " + r.oneWord() + " OK\r\n\r\n" })},
		{name: "transport: status line is the echoed request", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string { return r.oneWord() + "\r\n\r\n" })},
		{name: "transport: header without a colon echoes the request", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string { return "HTTP/1.1 200 OK\r\n" + r.oneWord() + "\r\n\r\n" })},
		{name: "transport: bad Content-Length echoes the request", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string {
				return "HTTP/1.1 200 OK\r\nContent-Length: " + r.oneWord() + "\r\n\r\n"
			})},
		{name: "transport: unparsable Location on a 302 echoes the request", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string {
				return "HTTP/1.1 302 Found\r\nLocation: :" + r.oneWord() + "\r\nContent-Length: 0\r\n\r\n"
			})},
		{name: "transport: Location with a bad escape echoes the query", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string {
				return "HTTP/1.1 307 Temporary Redirect\r\nLocation: /x%zz?" + lowerHex(url.QueryEscape(r.echo())) + "\r\nContent-Length: 0\r\n\r\n"
			})},
		{name: "transport: bad chunk length echoes the request", answer: rawAnswer(func(r *seenRequest) string {
			return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + r.oneWord() + "\r\n"
		})},
		{name: "transport: closed before answering", check: wantURLError,
			answer: func(context.Context, io.Writer, *seenRequest) {}},
		{name: "transport: closed in the headers", check: wantURLError,
			answer: rawAnswer(func(r *seenRequest) string { return "HTTP/1.1 200 OK\r\nContent-Type: appl" })},
		{name: "transport: closed in a token answer", answer: rawAnswer(func(r *seenRequest) string {
			return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n" +
				`{"access_token":"` + leakIssuedAccess + `","refresh_token":"` + leakIssuedRefresh + `","id_to`
		})},
		{name: "transport: no answer before the deadline", deadline: true,
			answer: func(ctx context.Context, _ io.Writer, _ *seenRequest) { <-ctx.Done() },
			check: func(t *testing.T, err error) {
				t.Helper()
				var ne net.Error
				if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
					t.Errorf("err = %v: want errors.Is(err, context.DeadlineExceeded) and a net.Error whose Timeout() is true", err)
				}
			}},
	}
}

// malformed2xx are success answers that are not a token answer; they
// carry the tokens the server issued in forms JSON does not read.
func malformed2xx() []leakShape {
	ok := func(contentType, body string) func(context.Context, io.Writer, *seenRequest) {
		return rawAnswer(func(*seenRequest) string { return httpAnswer(200, "Content-Type: "+contentType+"\r\n", body) })
	}
	two := func(name string, answer func(context.Context, io.Writer, *seenRequest), check func(*testing.T, error)) leakShape {
		return leakShape{name: name, answer: answer, check: check}
	}
	at, rt, id := leakIssuedAccess, leakIssuedRefresh, leakIssuedID
	return []leakShape{
		two("2xx: JSON cut short", ok("application/json",
			`{"access_token":"`+at+`","refresh_token":"`+rt+`","id_token":"`+id+`","expires_in":36`), wantAuthError(200)),
		two("2xx: single quotes", ok("application/json",
			`{'access_token': '`+at+`', 'refresh_token': '`+rt+`', 'id_token': '`+id+`'}`), wantAuthError(200)),
		two("2xx: unquoted keys", ok("application/json",
			`{access_token: "`+at+`", refresh_token: "`+rt+`", id_token: "`+id+`"}`), wantAuthError(200)),
		two("2xx: \\u escapes in keys and values, trailing comma", ok("application/json",
			`{"`+jsonEscapeAll("access_token")+`":"`+jsonEscapeAll(at)+`","\u0072efresh_token":"`+jsonEscapeAll(rt)+`","id\u005ftoken":"`+jsonEscapeAll(id)+`",}`),
			wantAuthError(200)),
		two("2xx: YAML", ok("application/yaml",
			"access_token: "+at+"\nrefresh_token: "+rt+"\nid_token: "+id+"\ntoken_type: bearer\n"), wantAuthError(200)),
		two("2xx: YAML quoted", ok("text/plain",
			"access_token: '"+at+"'\nrefresh_token: \""+rt+"\"\nid_token: "+id+"\n"), wantAuthError(200)),
		two("2xx: camelCase keys", ok("application/json",
			`{"accessToken":"`+at+`","refreshToken":"`+rt+`","idToken":"`+id+`","expiresIn":3600,}`), wantAuthError(200)),
		two("2xx: PascalCase XML", ok("application/xml",
			"<TokenResponse><AccessToken>"+at+"</AccessToken><RefreshToken>"+rt+"</RefreshToken><IdToken>"+id+"</IdToken></TokenResponse>"),
			wantAuthError(200)),
		two("2xx: form-encoded", ok("application/x-www-form-urlencoded",
			"access_token="+url.QueryEscape(at)+"&refresh_token="+lowerHex(url.QueryEscape(rt))+"&id_token="+url.QueryEscape(id)+"&token_type=bearer"),
			wantAuthError(200)),
		two("2xx: HTML form", ok("text/html",
			`<form><input type=hidden name="access_token" value="`+at+`"><input name='refresh_token' value='`+rt+`'><input name=id_token value=`+id+`></form>`),
			wantAuthError(200)),
		two("2xx: error object naming the tokens", ok("application/json",
			`{"error":"server_error","error_description":"issued accessToken=`+at+` and refreshToken: `+rt+`, idToken '`+id+`' but lost them"}`),
			wantAuthError(200)),
	}
}

// echoEncodings are the ways a server may quote the request back.
var echoEncodings = []struct {
	name   string
	encode func(string) string
}{
	{"raw", func(s string) string { return s }},
	{"query-escaped", url.QueryEscape},
	{"query-escaped in lower case", func(s string) string { return lowerHex(url.QueryEscape(s)) }},
	{"query-escaped twice", func(s string) string { return url.QueryEscape(url.QueryEscape(s)) }},
	{"path-escaped", url.PathEscape},
	{"path-escaped in lower case", func(s string) string { return lowerHex(url.PathEscape(s)) }},
	{"base64", b64(base64.StdEncoding)},
	{"base64 unpadded", b64(base64.RawStdEncoding)},
	{"base64url", b64(base64.URLEncoding)},
	{"base64url unpadded", b64(base64.RawURLEncoding)},
	{"JSON \\u escapes", jsonEscapeAll},
	{"JSON \\u escapes in upper case", func(s string) string { return upperHex(jsonEscapeAll(s)) }},
	{"JSON escaped slashes", func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }},
	{"HTML hex entities", htmlEntities("&#x%x;")},
	{"HTML decimal entities", htmlEntities("&#%d;")},
	{"HTML-escaped", html.EscapeString},
	{"Go-quoted", strconv.Quote},
}

// paramEncodings quote the request's parameters (Basic credentials
// included) back one by one.
var paramEncodings = []struct {
	name   string
	encode func(params [][2]string) string
}{
	{"YAML-ish", joinParams("", "%s: %s\n", "")},
	{"YAML-ish quoted", joinParams("", "%s: \"%s\"\n", "")},
	{"single quotes", joinParams("{", "'%s': '%s', ", "}")},
	{"unquoted keys", joinParams("{", "%s: \"%s\", ", "}")},
	{"Ruby hash", joinParams("{", ":%s => \"%s\", ", "}")},
	{"camelCase JSON", func(p [][2]string) string { return joinParams("{", "\"%s\": \"%s\", ", "}")(renameParams(p, camel)) }},
	{"camelCase form", func(p [][2]string) string { return joinParams("", "%s=%s&", "")(renameParams(p, camel)) }},
	{"PascalCase XML", func(p [][2]string) string {
		var b strings.Builder
		for _, kv := range renameParams(p, pascal) {
			fmt.Fprintf(&b, "<%s>%s</%[1]s>", kv[0], kv[1])
		}
		return b.String()
	}},
	{"\\u-escaped keys and values", func(p [][2]string) string {
		var b strings.Builder
		for _, kv := range p {
			fmt.Fprintf(&b, `"%s": "%s", `, jsonEscapeAll(kv[0]), jsonEscapeAll(kv[1]))
		}
		return b.String()
	}},
}

// echoShapes are error answers that quote the request back, in every
// encoding, in the places an answer has for text.
func echoShapes() []leakShape {
	var shapes []leakShape
	describe := func(what string, enc func(r *seenRequest) string) {
		shapes = append(shapes,
			leakShape{name: "error_description with the " + what, check: wantAuthError(400),
				answer: rawAnswer(func(r *seenRequest) string {
					b, _ := json.Marshal(map[string]string{"error": "invalid_request", "error_description": "cannot use " + enc(r)})
					return httpAnswer(400, "Content-Type: application/json\r\n", string(b))
				})},
			leakShape{name: "text page with the " + what, check: wantAuthError(502),
				answer: rawAnswer(func(r *seenRequest) string {
					return httpAnswer(502, "Content-Type: text/html\r\n", enc(r)+"\n<html><body>Bad gateway</body></html>")
				})},
			leakShape{name: "2xx page with the " + what, check: wantAuthError(200),
				answer: rawAnswer(func(r *seenRequest) string {
					return httpAnswer(200, "Content-Type: application/json\r\n", "{"+enc(r))
				})},
		)
	}
	for _, e := range echoEncodings {
		describe("request "+e.name, func(r *seenRequest) string { return e.encode(r.echo()) })
		shapes = append(shapes, leakShape{name: "redirect to a Location with the request " + e.name, check: wantAuthError(302),
			answer: rawAnswer(func(r *seenRequest) string {
				loc := "https://elsewhere.example/error?request=" + e.encode(r.echo())
				if strings.ContainsFunc(loc, unicode.IsSpace) {
					loc = "https://elsewhere.example/error?request=" + e.encode(r.oneWord())
				}
				if strings.ContainsFunc(loc, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
					loc = "https://elsewhere.example/error?request=" + url.QueryEscape(e.encode(r.echo()))
				}
				return httpAnswer(302, "Location: "+loc+"\r\n", "")
			})})
	}
	for _, e := range paramEncodings {
		describe("parameters "+e.name, func(r *seenRequest) string { return e.encode(r.params) })
	}
	shapes = append(shapes, leakShape{name: "error_description quoting the Authorization header", check: wantAuthError(401),
		answer: rawAnswer(func(r *seenRequest) string {
			h := r.auth
			if h == "" {
				h = "Bearer " + leakRefresh
			}
			b, _ := json.Marshal(map[string]string{"error": "invalid_client", "error_description": "rejected header Authorization: " + h})
			return httpAnswer(401, "Content-Type: application/json\r\n", string(b))
		})})
	return shapes
}

// TestNoSecretInAnyTokenEndpointError drives every grant of every provider
// through every failure shape and looks for every secret, in every
// encoding, in the text of every error of the chain, printed every way.
func TestNoSecretInAnyTokenEndpointError(t *testing.T) {
	var shapes []leakShape
	shapes = append(shapes, transportShapes()...)
	shapes = append(shapes, malformed2xx()...)
	shapes = append(shapes, echoShapes()...)
	for _, g := range leakGrants() {
		t.Run(g.name, func(t *testing.T) {
			for _, sh := range shapes {
				t.Run(sh.name, func(t *testing.T) {
					err := runLeakCase(t, g, sh)
					if err == nil {
						t.Fatal("no error")
					}
					if sh.check != nil {
						sh.check(t, err)
					}
					assertNoSecret(t, err)
				})
			}
		})
	}
}

// TestTokenEndpointCancelKeepsContextError: a cancelled token request still
// reports context.Canceled after redaction.
func TestTokenEndpointCancelKeepsContextError(t *testing.T) {
	for _, g := range leakGrants() {
		t.Run(g.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			got := make(chan struct{})
			var once sync.Once
			e := g.endpoint
			e.TokenURL = serveRaw(t, func(sctx context.Context, _ io.Writer, _ *seenRequest) {
				once.Do(func() { close(got) })
				<-sctx.Done()
			})
			go func() { <-got; cancel() }()
			err := g.call(ctx, e)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want errors.Is(err, context.Canceled)", err)
			}
			assertNoSecret(t, err)
		})
	}
}

func runLeakCase(t *testing.T, g leakGrant, sh leakShape) error {
	e := g.endpoint
	e.TokenURL = serveRaw(t, sh.answer)
	ctx := t.Context()
	if sh.deadline {
		// The server never answers, so the deadline always passes.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
	}
	return g.call(ctx, e)
}

// serveRaw answers every connection to a loopback listener with answer and
// returns the token URL; answer's context ends with the test.
func serveRaw(t *testing.T, answer func(context.Context, io.Writer, *seenRequest)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		ln.Close()
		<-done
	})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			func() {
				defer conn.Close()
				r, err := readRequest(conn)
				if err != nil {
					return
				}
				answer(ctx, conn, r)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/oauth/token"
}

// assertNoSecret fails if any error of err's chain shows a secret, in any
// encoding, through Error, fmt or slog.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	for i, e := range leaktest.Chain(err) {
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Error("token request failed", "err", e)
		slog.New(slog.NewJSONHandler(&js, nil)).Error("token request failed", "err", e)
		for _, out := range []struct{ how, text string }{
			{"Error()", e.Error()},
			{"%v", fmt.Sprintf("%v", e)},
			{"%+v", fmt.Sprintf("%+v", e)},
			{"%#v", fmt.Sprintf("%#v", e)},
			{"%s", fmt.Sprintf("%s", e)},
			{"slog text", text.String()},
			{"slog JSON", js.String()},
		} {
			for _, s := range leakSecrets {
				if form, ok := findSecret(out.text, s.value); ok {
					t.Errorf("error %d of the chain (%T), printed with %s, shows the %s as %s:\n%s", i, e, out.how, s.name, form, out.text)
				}
			}
		}
	}
}

// findSecret reports whether text holds secret in any encoding the test
// knows, and which; it encodes with the standard library, not with the
// redactor under test.
func findSecret(text, secret string) (string, bool) {
	forms := map[string]string{
		"raw":                            secret,
		"query-escaped":                  url.QueryEscape(secret),
		"query-escaped in lower case":    lowerHex(url.QueryEscape(secret)),
		"path-escaped":                   url.PathEscape(secret),
		"JSON \\u escapes":               jsonEscapeAll(secret),
		"JSON \\u escapes in upper case": upperHex(jsonEscapeAll(secret)),
		"HTML hex entities":              htmlEntities("&#x%x;")(secret),
		"HTML decimal entities":          htmlEntities("&#%d;")(secret),
		"Go-quoted":                      strings.Trim(strconv.Quote(secret), `"`),
	}
	for name, f := range forms {
		if strings.Contains(text, f) {
			return name, true
		}
	}
	// Inside base64 the secret may start at any of three byte offsets;
	// look for the characters its bytes alone decide.
	for _, v := range []string{secret, url.QueryEscape(secret)} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for k := 0; k < 3; k++ {
				s := enc.EncodeToString(append(make([]byte, k), v...))
				from, to := (8*k+5)/6, (8*(k+len(v)))/6
				if strings.Contains(text, s[from:to]) {
					return "base64 (at offset " + strconv.Itoa(k) + ")", true
				}
			}
		}
	}
	return "", false
}

func b64(enc *base64.Encoding) func(string) string {
	return func(s string) string { return enc.EncodeToString([]byte(s)) }
}

// lowerHex writes the hex digits of % escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = byte(unicode.ToLower(rune(b[i+1]))), byte(unicode.ToLower(rune(b[i+2])))
		}
	}
	return string(b)
}

// upperHex writes the hex digits of \u escapes in upper case.
func upperHex(s string) string {
	b := []byte(s)
	for i := 0; i+6 <= len(b); i++ {
		if b[i] == '\\' && b[i+1] == 'u' {
			copy(b[i+2:i+6], strings.ToUpper(string(b[i+2:i+6])))
		}
	}
	return string(b)
}

// jsonEscapeAll writes every byte but letters and digits as \u00xx.
func jsonEscapeAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\u%04x", c)
		}
	}
	return b.String()
}

// htmlEntities writes every byte but letters and digits as a character
// reference in format.
func htmlEntities(format string) func(string) string {
	return func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))) {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, format, c)
			}
		}
		return b.String()
	}
}

func joinParams(open, format, end string) func([][2]string) string {
	return func(p [][2]string) string {
		var b strings.Builder
		b.WriteString(open)
		for _, kv := range p {
			fmt.Fprintf(&b, format, kv[0], kv[1])
		}
		b.WriteString(end)
		return b.String()
	}
}

func renameParams(p [][2]string, rename func(string) string) [][2]string {
	out := make([][2]string, len(p))
	for i, kv := range p {
		out[i] = [2]string{rename(kv[0]), kv[1]}
	}
	return out
}

// camel turns client_secret into clientSecret.
func camel(s string) string {
	p := pascal(s)
	return strings.ToLower(p[:1]) + p[1:]
}

// pascal turns client_secret into ClientSecret.
func pascal(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(s, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
