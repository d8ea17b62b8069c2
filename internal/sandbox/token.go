package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/onair-go/onair/internal/authserver"
)

// checkToken looks the request's access token up, by the provider's
// rules; what it grants goes to the handler.
func (s *Server) checkToken(x *exchange) bool {
	acc, err := s.Auth.Lookup(x.r)
	if err != nil {
		h := `Bearer realm="` + s.p.Dialect.Name + `"`
		if !errors.Is(err, authserver.ErrNoToken) {
			h += `, error="invalid_token", error_description="` + err.Error() + `"`
		}
		x.w.Header().Set("WWW-Authenticate", h)
		return x.refuse(http.StatusUnauthorized, "invalid_token", err.Error())
	}
	x.lent = &lent{grant: s.p.Grant(acc.ClientID, acc.User, acc.Scope), token: acc.Token, ops: &s.ops, auth: s.Auth}
	return true
}

// checkScopes checks the grant against the operation's scopes:
// Grant.Allows, under which one scope may imply another by the provider's
// Covers.
func (s *Server) checkScopes(x *exchange) bool {
	need := x.op.Scopes
	if x.lent.grant.Allows(need) {
		return true
	}
	x.w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.p.Dialect.Name+`", error="insufficient_scope", scope="`+strings.Join(need[0], " ")+`"`)
	alts := make([]string, len(need))
	for i, all := range need {
		alts[i] = strings.Join(all, " and ")
	}
	return x.refuse(http.StatusForbidden, "insufficient_scope", fmt.Sprintf("%s needs the scope %s", x.name, strings.Join(alts, ", or ")))
}
