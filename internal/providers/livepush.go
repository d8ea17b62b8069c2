package providers

import (
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

func livepushProvider() Provider {
	return &spec[scopes.Livepush, livepush.Operation]{
		title:    "Livepush",
		defaults: []scopes.Livepush{scopes.LivepushProfileRead},
		endpoint: func(string) auth.Endpoint { return livepush.Endpoint },
		least:    livepush.LeastPrivilege,
		step:     livepush.StepUp,
		ops:      livepush.Operations,
		needs:    livepush.Operation.Scopes,
		sandbox: func(o SandboxOptions) (*Sandbox, error) {
			s, err := livepushtest.NewUnstartedServer(o.option)
			if err != nil {
				return nil, err
			}
			s.Start()
			return &Sandbox{URL: s.URL, Endpoint: s.Endpoint, ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL, Close: s.Close}, nil
		},
		dialect: livepushtest.Dialect,
		demo:    demoLivepush,
	}
}
