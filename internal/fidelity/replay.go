package fidelity

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/providers"
	"github.com/onair-go/onair/internal/redact"
)

// A Difference is a place where a sandbox answered a replayed request
// otherwise than the recording.
type Difference struct {
	Interaction int // 1-based
	Provider    string
	Operation   string
	// Field is "status", "Content-Type", or the JSON pointer of a field
	// of the answer's body ("" for its root).
	Field              string
	Recorded, Replayed string // the statuses, media types or JSON types ("absent" if missing)
}

func (d Difference) String() string {
	return fmt.Sprintf("%d %s %s: %s recorded %s, sandbox %s", d.Interaction, d.Provider, d.Operation, cmp.Or(d.Field, "/"), d.Recorded, d.Replayed)
}

// Replay sends each request of c to a fresh sandbox of its provider, in
// order, and returns where the sandbox answered differently: in status,
// or in the shape of the answer (the fields present and their JSON
// types; values such as ids and timestamps differ naturally and are not
// compared). The sandbox issues its own codes and tokens: a recorded
// token request is sent with the sandbox's client credentials and a code
// it issued, or the refresh token it issued last; an API request with the
// access token it issued last, in the recorded scheme. Ids the sandbox
// answered with stand in for the recorded ones in later requests.
//
// The tokens of a recording are redacted, so Replay cannot tell one from
// another: a recorded request made with a token the provider had spent
// or revoked is sent with the sandbox's live one, and answers otherwise.
// A rate limit's 429 depends on timing, which a replay does not keep.
func Replay(ctx context.Context, c *cassette.Cassette, specs map[string]*Spec) ([]Difference, error) {
	rs := map[string]*replayer{}
	defer func() {
		for _, r := range rs {
			r.sb.Close()
		}
	}()
	var out []Difference
	for i, in := range c.Interactions {
		name := c.ProviderOf(i)
		s, ok := specs[name]
		if !ok {
			return nil, fmt.Errorf("fidelity: interaction %d: no spec for provider %q", i+1, name)
		}
		r := rs[name]
		if r == nil {
			sb, err := s.Provider.StartSandbox(providers.SandboxOptions{AutoApprove: true})
			if err != nil {
				return nil, fmt.Errorf("fidelity: starting the %s sandbox: %w", name, err)
			}
			r = &replayer{spec: s, sb: sb, ids: map[string]string{}}
			rs[name] = r
		}
		f, err := s.check(in)
		if err != nil {
			return nil, fmt.Errorf("fidelity: interaction %d: %w", i+1, err)
		}
		status, header, body, err := r.send(ctx, in, f.Verdict == OAuth)
		if err != nil {
			return nil, fmt.Errorf("fidelity: interaction %d (%s %s): %w", i+1, name, f.Operation, err)
		}
		for _, d := range compare(in.Response, status, header, body) {
			d.Interaction, d.Provider, d.Operation = i+1, name, f.Operation
			out = append(out, d)
		}
	}
	return out, nil
}

// replayer replays one provider's interactions against its sandbox.
type replayer struct {
	spec            *Spec
	sb              *providers.Sandbox
	access, refresh string            // the last tokens the sandbox issued
	ids             map[string]string // recorded value → the sandbox's
}

// noRedirects returns a client that sends requests as recorded: a
// redirect is an answer.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send sends in's request, as the sandbox wants it, and returns the
// answer; it learns the tokens and ids the sandbox answered with.
func (r *replayer) send(ctx context.Context, in cassette.Interaction, oauth bool) (int, http.Header, []byte, error) {
	req, err := r.request(ctx, in, oauth)
	if err != nil {
		return 0, nil, nil, err
	}
	res, err := noRedirects().Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	if oauth {
		r.learnTokens(got)
	}
	parallel(in.Response.Body, got, func(rec, rep string) {
		if rec != rep && len(rec) >= 6 && !strings.Contains(rec, redact.Mark) {
			r.ids[rec] = rep
		}
	})
	return res.StatusCode, res.Header, got, nil
}

// request returns in's request for the sandbox: to its URL, with its
// client, codes and tokens, and the ids it answered with.
func (r *replayer) request(ctx context.Context, in cassette.Interaction, oauth bool) (*http.Request, error) {
	u, err := url.Parse(in.Request.URL)
	if err != nil {
		return nil, err
	}
	path := u.Path
	if !oauth {
		path = r.spec.relative(u)
	}
	base, err := url.Parse(r.sb.URL)
	if err != nil {
		return nil, err
	}
	target := *base
	target.Path = r.mapIDs(strings.TrimSuffix(base.Path, "/") + path)
	if oauth {
		raw, _ := r.spec.oauthEndpoint(u, r.sb.Endpoint)
		t, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("the sandbox's endpoint: %w", err)
		}
		target = *t
	}
	q := u.Query()
	body := in.Request.Body
	header := http.Header{}
	for k, vs := range in.Request.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Type", "Accept", "Content-Encoding":
			header[k] = slices.Clone(vs)
		}
	}
	if oauth {
		if err := r.oauthParams(ctx, in, q); err != nil {
			return nil, err
		}
		if isForm(in.Request.Header) {
			form, err := url.ParseQuery(string(body))
			if err != nil {
				return nil, fmt.Errorf("the recorded form: %w", err)
			}
			if err := r.oauthParams(ctx, in, form); err != nil {
				return nil, err
			}
			body = []byte(form.Encode())
		}
		if scheme, _, _ := strings.Cut(in.Request.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "Basic") {
			// Form-encoded first, as OAuth clients send them (RFC 6749 §2.3.1).
			(&http.Request{Header: header}).SetBasicAuth(url.QueryEscape(r.sb.ClientID), url.QueryEscape(r.sb.ClientSecret))
		}
	} else {
		for k, vs := range q {
			for i := range vs {
				vs[i] = r.mapIDs(vs[i])
			}
			q[k] = vs
		}
		body = []byte(r.mapIDs(string(body)))
		if a := in.Request.Header.Get("Authorization"); a != "" {
			tok, err := r.token(ctx)
			if err != nil {
				return nil, err
			}
			if scheme, _, ok := strings.Cut(a, " "); ok {
				header.Set("Authorization", scheme+" "+tok)
			} else {
				header.Set("Authorization", tok)
			}
		}
	}
	target.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, in.Request.Method, target.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = header
	return req, nil
}

// oauthParams puts the sandbox's own values for the parameters of a
// recorded OAuth request that are its client's or secret.
func (r *replayer) oauthParams(ctx context.Context, in cassette.Interaction, v url.Values) error {
	if v.Has("code") {
		code, verifier, err := r.code(ctx, in)
		if err != nil {
			return err
		}
		v.Set("code", code)
		if v.Has("code_verifier") {
			v.Set("code_verifier", verifier)
		}
	}
	set := map[string]string{
		"client_id":     r.sb.ClientID,
		"client_secret": r.sb.ClientSecret,
		"redirect_uri":  r.sb.RedirectURL,
		"refresh_token": r.refresh,
		"token":         r.access,
	}
	if v.Get("token_type_hint") == "refresh_token" {
		set["token"] = r.refresh
	}
	for k, val := range set {
		if v.Has(k) {
			v.Set(k, val)
		}
	}
	return nil
}

// code returns a code the sandbox issued for the scopes the recorded
// token answer granted, and its PKCE verifier.
func (r *replayer) code(ctx context.Context, in cassette.Interaction) (string, string, error) {
	var answer struct {
		Scope string `json:"scope"`
	}
	json.Unmarshal(in.Response.Body, &answer)
	scopes := strings.Fields(answer.Scope)
	if len(scopes) == 0 {
		scopes = r.allScopes()
	}
	cl, err := r.client(scopes)
	if err != nil {
		return "", "", err
	}
	verifier := oauth2.GenerateVerifier()
	authURL, err := cl.AuthCodeURL("replay-state", oauth2.S256ChallengeOption(verifier))
	if err != nil {
		return "", "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", "", err
	}
	res, err := noRedirects().Do(req)
	if err != nil {
		return "", "", err
	}
	res.Body.Close()
	loc, err := res.Location()
	if err != nil {
		return "", "", fmt.Errorf("the sandbox's authorization answered %d without a redirect", res.StatusCode)
	}
	code := loc.Query().Get("code")
	if code == "" {
		return "", "", fmt.Errorf("the sandbox's authorization redirect carries no code (error %q)", loc.Query().Get("error"))
	}
	return code, verifier, nil
}

// token returns the last access token the sandbox issued, or a new one
// for every scope when it issued none yet.
func (r *replayer) token(ctx context.Context) (string, error) {
	if r.access != "" {
		return r.access, nil
	}
	p := r.spec.Provider
	cl, err := r.client(r.allScopes())
	if err != nil {
		return "", err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, http.DefaultClient)
	var tok *oauth2.Token
	if p.CodeFlow() {
		code, verifier, err := r.code(ctx, cassette.Interaction{})
		if err != nil {
			return "", err
		}
		tok, err = cl.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			return "", fmt.Errorf("a sandbox token: %w", err)
		}
	} else if tok, err = cl.ClientCredentials(ctx); err != nil {
		return "", fmt.Errorf("a sandbox token: %w", err)
	}
	r.access, r.refresh = tok.AccessToken, cmp.Or(tok.RefreshToken, r.refresh)
	return r.access, nil
}

func (r *replayer) client(scopes []string) (providers.Client, error) {
	return r.spec.Provider.Client(providers.ClientConfig{
		ClientID: r.sb.ClientID, ClientSecret: r.sb.ClientSecret, RedirectURL: r.sb.RedirectURL,
		Scopes: scopes, Endpoint: r.sb.Endpoint,
	})
}

func (r *replayer) allScopes() []string {
	var out []string
	for _, d := range r.spec.Provider.ScopeDocs() {
		out = append(out, d.Scope)
	}
	return out
}

// learnTokens keeps the tokens of a token answer.
func (r *replayer) learnTokens(body []byte) {
	var t struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(body, &t) == nil {
		r.access = cmp.Or(t.AccessToken, r.access)
		r.refresh = cmp.Or(t.RefreshToken, r.refresh)
	}
}

// mapIDs replaces the recorded values the sandbox answered otherwise in
// s, longest first.
func (r *replayer) mapIDs(s string) string {
	recs := make([]string, 0, len(r.ids))
	for k := range r.ids {
		recs = append(recs, k)
	}
	slices.SortFunc(recs, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	for _, rec := range recs {
		s = strings.ReplaceAll(s, rec, r.ids[rec])
		if esc := url.PathEscape(rec); esc != rec {
			s = strings.ReplaceAll(s, esc, url.PathEscape(r.ids[rec]))
		}
	}
	return s
}

func isForm(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded"
}

// compare returns where the replayed answer differs from the recorded
// one: status, media type, then the body's shape.
func compare(rec cassette.Response, status int, header http.Header, body []byte) []Difference {
	if rec.Status != status {
		return []Difference{{Field: "status", Recorded: strconv.Itoa(rec.Status), Replayed: strconv.Itoa(status)}}
	}
	rmt, _, _ := mime.ParseMediaType(rec.Header.Get("Content-Type"))
	gmt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if rmt != gmt && len(rec.Body) > 0 {
		return []Difference{{Field: "Content-Type", Recorded: cmp.Or(rmt, "none"), Replayed: cmp.Or(gmt, "none")}}
	}
	rs, rok := shape(rec.Body)
	gs, gok := shape(body)
	if !rok || !gok {
		// A body that is no JSON (or none) against one that is differs
		// in shape at its root; two that are not JSON are not compared.
		if rok != gok {
			return []Difference{{Recorded: bodyKind(rec.Body, rs, rok), Replayed: bodyKind(body, gs, gok)}}
		}
		return nil
	}
	var out []Difference
	for p, t := range rs {
		if g := cmp.Or(gs[p], "absent"); g != t {
			out = append(out, Difference{Field: p, Recorded: t, Replayed: g})
		}
	}
	for p, g := range gs {
		if _, ok := rs[p]; !ok {
			out = append(out, Difference{Field: p, Recorded: "absent", Replayed: g})
		}
	}
	slices.SortFunc(out, func(a, b Difference) int { return strings.Compare(a.Field, b.Field) })
	return out
}

// bodyKind names what a body is for a Difference: "absent", "not JSON",
// or the JSON type of its root.
func bodyKind(body []byte, sh map[string]string, ok bool) string {
	switch {
	case ok:
		return sh[""]
	case len(bytes.TrimSpace(body)) == 0:
		return "absent"
	}
	return "not JSON"
}
