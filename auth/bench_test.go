package auth_test

// Benchmarks that compare onair's token source and Transport with
// golang.org/x/oauth2's, side by side in one `go test -bench` run. None of
// them asserts anything about time: they report numbers, and BENCHMARKS.md
// at the module root records the goals and what was measured.
//
//	go test -run='^$' -bench='BenchmarkCachedToken|BenchmarkTransport' -benchmem -cpu 2 -count 5 ./auth/
//	go test -run='^$' -bench='BenchmarkRefreshWait' -benchtime=1x -cpu 2 ./auth/

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// tokenTrap is a token endpoint that must never be reached: it counts the
// requests it gets, so that a benchmark that must not refresh can prove it
// did not, even for a refresh that runs in the background.
func tokenTrap(b *testing.B) (tokenURL string, hits *atomic.Int64) {
	b.Helper()
	hits = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
	}))
	b.Cleanup(srv.Close)
	return srv.URL + "/oauth/token", hits
}

// hourToken is a token valid for an hour, so no source refreshes it during
// a benchmark.
func hourToken() *oauth2.Token {
	return &oauth2.Token{
		AccessToken:  "access-" + rand.Text(),
		RefreshToken: "refresh-" + rand.Text(),
		TokenType:    "Bearer",
		Expiry:       time.Now().Add(time.Hour),
		ExpiresIn:    3600,
	}
}

func livestormConfig(tokenURL string) *auth.Config[scopes.Livestorm] {
	ep := livestorm.Endpoint
	ep.TokenURL = tokenURL
	return &auth.Config[scopes.Livestorm]{
		ClientID:     "client-id",
		ClientSecret: "client-secret",
		RedirectURL:  "http://127.0.0.1/callback",
		Scopes:       []scopes.Livestorm{scopes.LivestormEventsRead},
		Endpoint:     ep,
	}
}

func xConfig(authURL, tokenURL string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     "client-id",
		ClientSecret: "client-secret",
		RedirectURL:  "http://127.0.0.1/callback",
		Scopes:       []string{string(scopes.LivestormEventsRead)},
		Endpoint:     oauth2.Endpoint{AuthURL: authURL, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}
}

// BenchmarkCachedToken measures Token() on a source that holds a token
// valid for an hour, from GOMAXPROCS goroutines at once (run with -cpu 2).
// Goal: onair's ns/op at most half of x/oauth2's.
func BenchmarkCachedToken(b *testing.B) {
	ctx := context.Background()
	sources := []struct {
		name string
		new  func(tokenURL string, tok *oauth2.Token) oauth2.TokenSource
	}{
		{"onair", func(tokenURL string, tok *oauth2.Token) oauth2.TokenSource {
			return livestormConfig(tokenURL).TokenSource(ctx, tok)
		}},
		{"x-oauth2", func(tokenURL string, tok *oauth2.Token) oauth2.TokenSource {
			return xConfig(livestorm.Endpoint.AuthURL, tokenURL).TokenSource(ctx, tok)
		}},
	}
	for _, s := range sources {
		b.Run(s.name, func(b *testing.B) {
			tokenURL, hits := tokenTrap(b)
			tok := hourToken()
			src := s.new(tokenURL, tok)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					got, err := src.Token()
					if err != nil || got != tok {
						b.Errorf("Token() = %v, %v; want the cached token", got, err)
						return
					}
				}
			})
			b.StopTimer()
			if n := hits.Load(); n != 0 {
				b.Errorf("the token endpoint was called %d times; the cached token should have been used", n)
			}
		})
	}
}

// stubRT answers every request with one shared 200 response and no network.
// The same stub serves every sub-benchmark of BenchmarkTransport. inspect,
// nil while timing, lets the set-up check what the stub was sent.
type stubRT struct {
	res     *http.Response
	inspect func(*http.Request)
}

func (s *stubRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if s.inspect != nil {
		s.inspect(req)
	}
	return s.res, nil
}

// byHand does what a user without a Transport would do: a shallow copy of
// the request, a copy of its header, and the Authorization header built from
// the token at hand (as x/oauth2's Token.SetAuthHeader builds it).
type byHand struct {
	tok  *oauth2.Token
	base http.RoundTripper
}

func (h *byHand) RoundTrip(req *http.Request) (*http.Response, error) {
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	r.Header.Set("Authorization", "Bearer "+h.tok.AccessToken)
	return h.base.RoundTrip(r)
}

// BenchmarkTransport measures what authorizing one request costs: the
// request is built once, the base RoundTripper is a stub that allocates
// nothing, so allocs/op and B/op are what each way of authorizing adds.
// Goal: onair adds no more allocations per request than x/oauth2.
//
//	stub-only       the stub alone, unauthorized (the floor)
//	by-hand         shallow copy + header clone + Set, no token source
//	onair           auth.Transport over Config.TokenSource (what users get)
//	onair-static    auth.Transport over oauth2.StaticTokenSource
//	x-oauth2        oauth2.Transport over oauth2.StaticTokenSource
//	x-oauth2-config oauth2.Transport over oauth2.Config.TokenSource
func BenchmarkTransport(b *testing.B) {
	ctx := context.Background()
	tokenURL, hits := tokenTrap(b)
	stub := &stubRT{res: &http.Response{
		Status:     "200 OK",
		StatusCode: http.StatusOK,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{},
		Body:       http.NoBody,
	}}
	tok := hourToken()
	cfg := livestormConfig(tokenURL)

	cases := []struct {
		name string
		rt   http.RoundTripper
		auth bool // whether the stub must see an Authorization header
	}{
		{"stub-only", stub, false},
		{"by-hand", &byHand{tok: tok, base: stub}, true},
		{"onair", cfg.Transport(cfg.TokenSource(ctx, tok), stub), true},
		{"onair-static", &auth.Transport{Source: oauth2.StaticTokenSource(tok), Base: stub}, true},
		{"x-oauth2", &oauth2.Transport{Source: oauth2.StaticTokenSource(tok), Base: stub}, true},
		{"x-oauth2-config", &oauth2.Transport{Source: xConfig(livestorm.Endpoint.AuthURL, tokenURL).TokenSource(ctx, tok), Base: stub}, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// Livestorm's API wants this Accept header; it makes the header
			// copy a real one.
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.livestorm.co/v1/events", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Accept", "application/vnd.api+json")

			// Check once, untimed, that the request is authorized and that
			// the caller's request is left alone.
			var sent string
			stub.inspect = func(r *http.Request) { sent = r.Header.Get("Authorization") }
			res, err := c.rt.RoundTrip(req)
			stub.inspect = nil
			if err != nil || res != stub.res {
				b.Fatalf("RoundTrip = %v, %v", res, err)
			}
			if want := "Bearer " + tok.AccessToken; c.auth && sent != want {
				b.Fatalf("the stub got Authorization %q, want %q", sent, want)
			}
			if got := req.Header.Get("Authorization"); got != "" || len(req.Header) != 1 {
				b.Fatalf("the caller's request was modified: %v", req.Header)
			}

			b.ReportAllocs()
			for b.Loop() {
				res, err := c.rt.RoundTrip(req)
				if err != nil || res != stub.res {
					b.Fatalf("RoundTrip = %v, %v", res, err)
				}
			}
		})
	}
	if n := hits.Load(); n != 0 {
		b.Errorf("the token endpoint was called %d times; the cached token should have been used", n)
	}
}

// Refresh-wait scenario: a fake Livestorm whose token answers take 200 ms
// and whose tokens live 4 s; 8 goroutines call Token() (1 ms apart each)
// for 9 s, so every source has to refresh at least twice.
const (
	waitDelay    = 200 * time.Millisecond
	waitLifetime = 4 * time.Second
	waitRun      = 9 * time.Second
	waitWorkers  = 8
	waitPause    = time.Millisecond
	waitEarly    = 400 * time.Millisecond // x-oauth2-early: as early as onair refreshes a 4 s token (a tenth of its life)
	waitSlow     = 100 * time.Millisecond // the goal's bound, reported as a count
)

// BenchmarkRefreshWait runs the refresh scenario once per sub-benchmark and
// reports the waits of the Token() calls. Goal: onair's worst wait under
// 100 ms.
//
// The scenario lasts a fixed 9 s and its result is a maximum and a
// percentile over thousands of calls, not a mean per iteration, so it runs
// exactly once whatever b.N is: repeating it would lengthen the run
// without changing what is measured. Run it with -benchtime=1x (the default
// 1s benchtime also leads to b.N = 1, as the first run already takes 9 s).
// ns/op is suppressed because it would only restate the 9 s.
//
// Metrics: worst-ms and p99-ms (and p50-ms) are the waits of single Token()
// calls; slow-calls counts calls that waited 100 ms or more; refreshes is
// the number of refresh requests the fake server served; calls is the
// number of Token() calls made; errors counts failed calls; expired counts
// tokens handed out already expired.
//
//	onair          Config.TokenSource
//	x-oauth2       oauth2.Config.TokenSource (its expiryDelta is 10 s, so a 4 s token is always "expired")
//	x-oauth2-early oauth2.ReuseTokenSourceWithExpiry(tok, cfg.TokenSource(ctx, tok), 400ms)
func BenchmarkRefreshWait(b *testing.B) {
	kinds := []string{"onair", "x-oauth2", "x-oauth2-early"}
	for _, kind := range kinds {
		b.Run(kind, func(b *testing.B) {
			r := refreshScenario(b, kind)
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(ms(r.worst), "worst-ms")
			b.ReportMetric(ms(r.p99), "p99-ms")
			b.ReportMetric(ms(r.p50), "p50-ms")
			b.ReportMetric(float64(r.slow), "slow-calls")
			b.ReportMetric(float64(r.refreshes), "refreshes")
			b.ReportMetric(float64(r.calls), "calls")
			b.ReportMetric(float64(r.errors), "errors")
			b.ReportMetric(float64(r.expired), "expired")
			if r.errors > 0 {
				b.Errorf("%d Token() calls failed; first error: %v", r.errors, r.firstErr)
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type waitResult struct {
	worst, p99, p50        time.Duration
	calls, slow, refreshes int
	errors, expired        int
	firstErr               error
}

func refreshScenario(b *testing.B, kind string) waitResult {
	b.Helper()
	const redirectURI = "http://127.0.0.1/callback"
	f := authserver.Start(livestormtest.Dialect(), livestorm.Endpoint, redirectURI)
	defer f.Close()
	f.SetLifetime(waitLifetime)
	f.SetDelay(waitDelay)

	cfg := &auth.Config[scopes.Livestorm]{
		ClientID:     f.Client.ID,
		ClientSecret: f.Client.Secret,
		RedirectURL:  redirectURI,
		Scopes:       []scopes.Livestorm{scopes.LivestormEventsRead},
		Endpoint:     f.Endpoint,
	}
	// Both libraries take their HTTP client from here.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, f.HTTP.Client())

	// The initial token comes from the real authorization-code flow, PKCE
	// included, as Livestorm's guide has it.
	state := rand.Text()
	verifier := oauth2.GenerateVerifier()
	consent, err := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	if err != nil {
		b.Fatal(err)
	}
	browser := &http.Client{
		Transport:     f.HTTP.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	res, err := browser.Get(consent)
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound {
		b.Fatalf("authorize: %s, Location %q", res.Status, res.Header.Get("Location"))
	}
	q := loc.Query()
	if q.Get("state") != state || q.Get("code") == "" {
		b.Fatalf("authorize redirected to %s", loc)
	}
	tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		b.Fatal(err)
	}
	before := f.Stats().Refreshes

	var src oauth2.TokenSource
	xc := xConfig(f.Endpoint.AuthURL, f.Endpoint.TokenURL)
	xc.ClientID, xc.ClientSecret = f.Client.ID, f.Client.Secret
	switch kind {
	case "onair":
		src = cfg.TokenSource(ctx, tok)
	case "x-oauth2":
		src = xc.TokenSource(ctx, tok)
	case "x-oauth2-early":
		src = oauth2.ReuseTokenSourceWithExpiry(tok, xc.TokenSource(ctx, tok), waitEarly)
	default:
		b.Fatalf("unknown kind %q", kind)
	}

	type worker struct {
		waits           []time.Duration
		errors, expired int
		firstErr        error
	}
	workers := make([]worker, waitWorkers)
	var wg sync.WaitGroup
	end := time.Now().Add(waitRun)
	b.ResetTimer()
	for i := range workers {
		w := &workers[i]
		wg.Go(func() {
			w.waits = make([]time.Duration, 0, int(waitRun/waitPause))
			for time.Now().Before(end) {
				start := time.Now()
				got, err := src.Token()
				w.waits = append(w.waits, time.Since(start))
				switch {
				case err != nil:
					w.errors++
					if w.firstErr == nil {
						w.firstErr = err
					}
				case !got.Expiry.IsZero() && !got.Expiry.After(start):
					w.expired++
				}
				time.Sleep(waitPause)
			}
		})
	}
	wg.Wait()
	b.StopTimer()

	var r waitResult
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.waits...)
		r.errors += w.errors
		r.expired += w.expired
		if r.firstErr == nil {
			r.firstErr = w.firstErr
		}
	}
	slices.Sort(all)
	r.calls = len(all)
	if r.calls > 0 {
		r.worst = all[len(all)-1]
		r.p99 = all[(len(all)*99+99)/100-1] // nearest rank
		r.p50 = all[(len(all)+1)/2-1]
	}
	for _, d := range all {
		if d >= waitSlow {
			r.slow++
		}
	}
	r.refreshes = f.Stats().Refreshes - before
	return r
}
