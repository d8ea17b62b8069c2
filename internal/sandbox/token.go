package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/onair-go/onair/internal/authserver"
)

// tokens checks the access token of each request, and then the
// operation's scopes, by the provider's rules.
type tokens struct {
	auth  *authserver.Server
	realm string // the provider's name in WWW-Authenticate
	grant func(clientID, user string, scope []string) Grant
	lend  lent // what every request lends its handler besides the grant
}

// check looks the token up; what it grants goes to the handler.
func (t *tokens) check(x *exchange) bool {
	acc, err := t.auth.Lookup(x.r)
	if err != nil {
		h := `Bearer realm="` + t.realm + `"`
		if !errors.Is(err, authserver.ErrNoToken) {
			h += `, error="invalid_token", error_description="` + err.Error() + `"`
		}
		x.w.Header().Set("WWW-Authenticate", h)
		return x.refuse(http.StatusUnauthorized, "invalid_token", err.Error())
	}
	l := t.lend
	l.grant, l.token = t.grant(acc.ClientID, acc.User, acc.Scope), acc.Token
	x.lent = &l
	return true
}

// scopes checks the grant against the operation's scopes: Grant.Allows,
// under which one scope may imply another by the provider's Covers.
func (t *tokens) scopes(x *exchange) bool {
	need := x.op.Scopes
	if x.lent.grant.Allows(need) {
		return true
	}
	x.w.Header().Set("WWW-Authenticate", `Bearer realm="`+t.realm+`", error="insufficient_scope", scope="`+strings.Join(need[0], " ")+`"`)
	return x.refuse(http.StatusForbidden, "insufficient_scope", fmt.Sprintf("%s needs the scope %s", x.name, describeNeed(need)))
}

func describeNeed(need [][]string) string {
	alts := make([]string, len(need))
	for i, all := range need {
		alts[i] = strings.Join(all, " and ")
	}
	return strings.Join(alts, ", or ")
}
