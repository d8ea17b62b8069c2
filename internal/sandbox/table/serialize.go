package table

import (
	"context"
	"net/http"
	"sync"
)

// Serialize returns a strict-server middleware (the generated servers'
// StrictMiddlewareFunc) that holds mu while the operation runs, so that a
// fake's handlers each see and leave its store whole without locking it
// themselves. The answer is encoded after mu is released: what it holds
// must be copies, as Table hands out.
//
// F is the generated server's StrictHandlerFunc:
//
//	server.NewStrictHandlerWithOptions(a, []server.StrictMiddlewareFunc{
//		table.Serialize[server.StrictHandlerFunc](&a.mu),
//	}, options)
func Serialize[F ~func(context.Context, http.ResponseWriter, *http.Request, any) (any, error)](mu *sync.Mutex) func(F, string) F {
	return func(next F, _ string) F {
		return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			return next(ctx, w, r, req)
		}
	}
}
