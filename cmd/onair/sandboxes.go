package main

import (
	"net/url"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// sandboxOptions are the options every sandbox package offers, in one
// place.
type sandboxOptions struct {
	autoApprove  bool
	redirectURLs []string
	appName      string
	tenant       string // Streamdiver only
}

// sandboxServer is what a started sandbox tells, whatever its package.
type sandboxServer struct {
	url          string
	endpoint     auth.Endpoint
	clientID     string
	clientSecret string
	redirectURL  string // the first registered redirect URL
	tenant       string // Streamdiver's realm
	close        func()
}

func startLivepush(o sandboxOptions) (*sandboxServer, error) {
	var opts []livepushtest.Option
	if o.autoApprove {
		opts = append(opts, livepushtest.WithAutoApprove())
	}
	for _, u := range o.redirectURLs {
		opts = append(opts, livepushtest.WithRedirectURL(u))
	}
	if o.appName != "" {
		opts = append(opts, livepushtest.WithAppName(o.appName))
	}
	s, err := livepushtest.NewUnstartedServer(opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return &sandboxServer{url: s.URL, endpoint: s.Endpoint, clientID: s.ClientID, clientSecret: s.ClientSecret, redirectURL: s.RedirectURL, close: s.Close}, nil
}

func startLivestorm(o sandboxOptions) (*sandboxServer, error) {
	var opts []livestormtest.Option
	if o.autoApprove {
		opts = append(opts, livestormtest.WithAutoApprove())
	}
	for _, u := range o.redirectURLs {
		opts = append(opts, livestormtest.WithRedirectURL(u))
	}
	if o.appName != "" {
		opts = append(opts, livestormtest.WithAppName(o.appName))
	}
	s, err := livestormtest.NewUnstartedServer(opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return &sandboxServer{url: s.URL, endpoint: s.Endpoint, clientID: s.ClientID, clientSecret: s.ClientSecret, redirectURL: s.RedirectURL, close: s.Close}, nil
}

func startStreamdiver(o sandboxOptions) (*sandboxServer, error) {
	var opts []streamdivertest.Option
	if o.autoApprove {
		opts = append(opts, streamdivertest.WithAutoApprove())
	}
	for _, u := range o.redirectURLs {
		opts = append(opts, streamdivertest.WithRedirectURL(u))
	}
	if o.appName != "" {
		opts = append(opts, streamdivertest.WithAppName(o.appName))
	}
	tenant := streamdivertest.DefaultTenant
	if o.tenant != "" {
		tenant = o.tenant
		opts = append(opts, streamdivertest.WithTenant(o.tenant))
	}
	s, err := streamdivertest.NewUnstartedServer(opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return &sandboxServer{url: s.URL, endpoint: s.Endpoint, clientID: s.ClientID, clientSecret: s.ClientSecret, redirectURL: s.RedirectURL, tenant: tenant, close: s.Close}, nil
}

func startDLive(o sandboxOptions) (*sandboxServer, error) {
	var opts []dlivetest.Option
	if o.autoApprove {
		opts = append(opts, dlivetest.WithAutoApprove())
	}
	for _, u := range o.redirectURLs {
		opts = append(opts, dlivetest.WithRedirectURL(u))
	}
	if o.appName != "" {
		opts = append(opts, dlivetest.WithAppName(o.appName))
	}
	s, err := dlivetest.NewUnstartedServer(opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return &sandboxServer{url: s.URL, endpoint: s.Endpoint, clientID: s.ClientID, clientSecret: s.ClientSecret, redirectURL: s.RedirectURL, close: s.Close}, nil
}

// rebase points e at a server that serves the provider's OAuth paths and
// API at base, as a sandbox does: the real URLs' paths, on base's origin.
// Every URL moves, the revocation endpoint too, so that no request of a
// login to a sandbox reaches the real provider.
func rebase(e auth.Endpoint, base string) auth.Endpoint {
	move := func(raw string) string {
		if raw == "" {
			return ""
		}
		u, err := url.Parse(raw)
		if err != nil {
			return raw
		}
		return base + u.EscapedPath()
	}
	e.AuthURL = move(e.AuthURL)
	e.TokenURL = move(e.TokenURL)
	e.RevokeURL = move(e.RevokeURL)
	return e
}
