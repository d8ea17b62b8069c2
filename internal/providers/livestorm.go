package providers

import (
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

func livestormProvider() Provider {
	return &spec[scopes.Livestorm, livestorm.Operation]{
		title:    "Livestorm",
		defaults: []scopes.Livestorm{scopes.LivestormIdentityRead},
		endpoint: func(string) auth.Endpoint { return livestorm.Endpoint },
		least:    livestorm.LeastPrivilege,
		step:     livestorm.StepUp,
		ops:      livestorm.Operations,
		needs:    livestorm.Operation.Scopes,
		sandbox: func(o SandboxOptions) (*Sandbox, error) {
			s, err := livestormtest.NewUnstartedServer(o.option)
			if err != nil {
				return nil, err
			}
			s.Start()
			return &Sandbox{URL: s.URL, Endpoint: s.Endpoint, ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL, Close: s.Close}, nil
		},
		dialect:  livestormtest.Dialect,
		demo:     demoLivestorm,
		webhooks: livestormWebhooks{},
	}
}
