package providers

import (
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/sandbox"
)

// SandboxOptions are the options every sandbox package offers.
type SandboxOptions struct {
	AutoApprove  bool
	RedirectURLs []string
	AppName      string
	Tenant       string // for a provider whose endpoint needs one; "" for the sandbox's default
}

// option is o as a sandbox package's Option: each is a func(*sandbox.Config).
// The tenant is left to the providers that have one.
func (o SandboxOptions) option(c *sandbox.Config) {
	c.AutoApprove = o.AutoApprove
	c.RedirectURLs = append(c.RedirectURLs, o.RedirectURLs...)
	c.AppName = o.AppName
}

// Sandbox is what a started sandbox tells, whatever its package.
type Sandbox struct {
	URL                    string
	Endpoint               auth.Endpoint
	ClientID, ClientSecret string
	RedirectURL            string // the first registered redirect URL
	Tenant                 string // the tenant served, for a provider that has them
	Close                  func()
}
