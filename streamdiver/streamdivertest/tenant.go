package streamdivertest

import "github.com/onair-go/onair/internal/sandbox"

// DefaultTenant is the realm a sandbox serves unless WithTenant says
// otherwise.
const DefaultTenant = "sandbox"

func tenant(c sandbox.Config) string {
	if c.Tenant == "" {
		return DefaultTenant
	}
	return c.Tenant
}
