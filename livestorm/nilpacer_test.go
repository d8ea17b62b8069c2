package livestorm_test

import (
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// WithPacer(nil) is refused by NewClient, rather than a panic at the
// first call.
func TestWithNilPacer(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.LivestormIdentityRead)),
		livestorm.WithBaseURL(srv.URL), livestorm.WithPacer(nil))
	if err == nil || !strings.Contains(err.Error(), "WithPacer(nil)") {
		t.Errorf("NewClient(WithPacer(nil)) = %v, %v; want an error naming WithPacer(nil)", c, err)
	}
}
