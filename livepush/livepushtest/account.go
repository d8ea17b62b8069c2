package livepushtest

import (
	"context"
	"strings"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

func (a *api) GetAccount(context.Context, server.GetAccountRequestObject) (server.GetAccountResponseObject, error) {
	return server.GetAccount200JSONResponse(sandbox.Clone(a.account)), nil
}

func (a *api) UpdateAccount(_ context.Context, req server.UpdateAccountRequestObject) (server.UpdateAccountResponseObject, error) {
	b := table.Deref(req.Body)
	if b.Name != nil && strings.TrimSpace(*b.Name) == "" {
		return nil, invalid("name must not be empty")
	}
	acc := sandbox.Clone(a.account)
	table.Patch(&acc, b) // preferences merge: those not sent stay as they are
	a.account = sandbox.Clone(acc)
	return server.UpdateAccount200JSONResponse(acc), nil
}

func (a *api) ListSubscriptions(context.Context, server.ListSubscriptionsRequestObject) (server.ListSubscriptionsResponseObject, error) {
	return server.ListSubscriptions200JSONResponse(a.subscriptions.List(nil)), nil
}

func (a *api) ListInvoices(context.Context, server.ListInvoicesRequestObject) (server.ListInvoicesResponseObject, error) {
	return server.ListInvoices200JSONResponse(a.invoices.List(nil)), nil
}

// RevokeToken revokes the token the request carries at the sandbox's
// authorization server: the next call with it answers 401.
func (a *api) RevokeToken(ctx context.Context, _ server.RevokeTokenRequestObject) (server.RevokeTokenResponseObject, error) {
	sandbox.RevokeRequestToken(ctx)
	return server.RevokeToken204Response{}, nil
}

func (a *api) ListRegions(context.Context, server.ListRegionsRequestObject) (server.ListRegionsResponseObject, error) {
	return server.ListRegions200JSONResponse(a.regions.List(nil)), nil
}
