package providers

import (
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

func dliveProvider() Provider {
	return &spec[scopes.DLive, dlive.Operation]{
		title:    "DLive",
		defaults: []scopes.DLive{scopes.DLiveIdentity},
		endpoint: func(string) auth.Endpoint { return dlive.Endpoint },
		least:    dlive.LeastPrivilege,
		step:     dlive.StepUp,
		ops:      dlive.Operations,
		needs:    dlive.Operation.Scopes,
		sandbox: func(o SandboxOptions) (*Sandbox, error) {
			s, err := dlivetest.NewUnstartedServer(o.option)
			if err != nil {
				return nil, err
			}
			s.Start()
			return &Sandbox{URL: s.URL, Endpoint: s.Endpoint, ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL, Close: s.Close}, nil
		},
		dialect: dlivetest.Dialect,
		demo:    demoDLive,
		live:    dliveEvents{},
	}
}
