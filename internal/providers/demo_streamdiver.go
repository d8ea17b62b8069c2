package providers

import (
	"context"
	"fmt"
	"time"

	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// demoStreamdiver: client credentials in a tenant's realm, and a media
// item listed and fetched.
func demoStreamdiver(ctx context.Context, r Report) error {
	const tenant = "acme"
	srv, err := streamdivertest.NewUnstartedServer(streamdivertest.WithTenant(tenant))
	if err != nil {
		return err
	}
	srv.Start()
	defer srv.Close()
	r.Header("Streamdiver", "sandbox at "+srv.URL)

	w := newWire(ctx)
	cfg := srv.Config()
	src := cfg.ClientCredentialsTokenSource(w.tokenContext(ctx))
	tok, err := src.Token()
	if err != nil {
		return err
	}
	tr, ok := w.last(tokenPath(srv.Endpoint.TokenURL))
	if !ok {
		return fmt.Errorf("token request: %w", errNotObserved)
	}
	refresh := "no refresh token: a new one is requested near expiry"
	if tok.RefreshToken != "" {
		refresh = "a refresh token too"
	}
	r.Step("client credentials in tenant %q's realm: application token, %s, granted %s; %s", tenant, lifetime(tok), granted[scopes.Streamdiver](tok), refresh)
	r.Detail("token request: %s %s with %s", tr.method, tr.path, tr.clientAuth())

	client, err := streamdiver.NewClient(src, streamdiver.WithBaseURL(srv.URL), streamdiver.WithHTTPClient(w.client()), streamdiver.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return err
	}
	var first *streamdiver.Media
	for m, err := range client.Media.List(ctx, nil) {
		if err != nil {
			return err
		}
		first = &m
		break
	}
	if first == nil {
		return fmt.Errorf("Media.List: the sandbox's tenant has no media")
	}
	m, err := client.Media.Get(ctx, first.ID)
	if err != nil {
		return err
	}
	length := ""
	if m.Duration != 0 {
		length = ", " + (time.Duration(m.Duration) * time.Second).String()
	}
	r.Step("Media.List, then Media.Get %s: %q (%s%s)", m.ID, m.Name, m.Type, length)
	return nil
}
