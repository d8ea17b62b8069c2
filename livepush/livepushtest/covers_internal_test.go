package livepushtest

import (
	"testing"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/scopetest"
	"github.com/onair-go/onair/scopes"
)

// The sandbox lets a token call an operation exactly when scopes.Covers
// says its scopes satisfy one of the operation's alternatives, for every
// operation of the spec the engine checks requests against and for every
// set of scopes scopetest.Sets tries. The decision is the engine's own:
// the grant it makes under this sandbox's rule, asked with the
// operation's scopes.
func TestScopesAsCovers(t *testing.T) {
	p, err := provider(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ops := make([]scopetest.Op, len(p.Spec.Ops))
	for i, o := range p.Spec.Ops {
		ops[i] = scopetest.Op{Name: o.Service + "." + o.FacadeMethod, Needs: o.Scopes}
	}
	scopetest.Check[scopes.Livepush](t, ops, func(granted []string, op scopetest.Op) bool {
		return p.Grant("client", p.User, granted).Allows(op.Needs)
	})
}
