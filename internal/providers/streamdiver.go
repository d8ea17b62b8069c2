package providers

import (
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

func streamdiverProvider() Provider {
	return &spec[scopes.Streamdiver, streamdiver.Operation]{
		title:    "Streamdiver",
		tenant:   true,
		endpoint: streamdiver.Endpoint,
		least:    streamdiver.LeastPrivilege,
		step:     streamdiver.StepUp,
		ops:      streamdiver.Operations,
		needs:    streamdiver.Operation.Scopes,
		sandbox: func(o SandboxOptions) (*Sandbox, error) {
			opts := []streamdivertest.Option{o.option}
			tenant := streamdivertest.DefaultTenant
			if o.Tenant != "" {
				tenant = o.Tenant
				opts = append(opts, streamdivertest.WithTenant(o.Tenant))
			}
			s, err := streamdivertest.NewUnstartedServer(opts...)
			if err != nil {
				return nil, err
			}
			s.Start()
			return &Sandbox{URL: s.URL, Endpoint: s.Endpoint, ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL, Tenant: tenant, Close: s.Close}, nil
		},
		dialect:  streamdivertest.Dialect,
		demo:     demoStreamdiver,
		webhooks: streamdiverWebhooks{},
	}
}
