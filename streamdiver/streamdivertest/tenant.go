package streamdivertest

import "github.com/onair-go/onair/internal/sandbox"

// DefaultTenant is the realm a sandbox serves unless WithTenant says
// otherwise.
const DefaultTenant = "sandbox"

// tenantOption is what WithTenant keeps in sandbox.Config.Extra.
type tenantOption string

// WithTenant serves the realm of tenant instead of DefaultTenant.
func WithTenant(tenant string) Option {
	return func(c *sandbox.Config) { c.Extra = tenantOption(tenant) }
}

func tenant(c sandbox.Config) string {
	if t, _ := c.Extra.(tenantOption); t != "" {
		return string(t)
	}
	return DefaultTenant
}
