package livestormtest

import (
	"context"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // sessions are scheduled in IANA time zones, wherever the tests run

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/deliver"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// api is Livestorm's API over an in-memory store: one workspace with its
// team, events and their sessions, registrants, chat, questions,
// recordings, jobs and webhooks. The handler holds mu while an operation
// runs, and the tables hand out copies, so that no answer shares memory
// with the store.
type api struct {
	mu  sync.Mutex
	now func() time.Time

	org        server.Organization
	people     table.Table[server.Person] // participants and team members, without registrant_detail
	users      table.Table[server.User]
	events     table.Table[event]
	sessions   table.Table[server.Session] // their counts are derived on the way out
	regs       table.Table[registration]   // by table.Child(session, person)
	chat       table.Table[server.ChatMessage]
	questions  table.Table[server.Question]
	recordings table.Table[server.Recording] // their URL is signed on the way out
	jobs       table.Table[job]
	tags       table.Table[server.Tag]
	webhooks   table.Table[server.Webhook]
	attributes table.Table[server.PeopleAttribute]

	hooks *deliver.Deliverer // webhook deliveries (deliveries.go)
}

// handler serves the API at the root path, answering errors in Livestorm's
// JSON:API shape.
//
// An operation that fails returns an *apiError, which the handler answers;
// an answer returned beside an error goes unread, so that an operation may
// return both as they come.
func (a *api) handler() http.Handler {
	return server.HandlerWithOptions(
		server.NewStrictHandlerWithOptions(a, []server.StrictMiddlewareFunc{table.Serialize[server.StrictHandlerFunc](&a.mu)}, server.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  badRequest,
			ResponseErrorHandlerFunc: respondError,
		}),
		server.StdHTTPServerOptions{ErrorHandlerFunc: badRequest},
	)
}

// Identity: the sandbox's workspace.

func (a *api) GetPing(context.Context, server.GetPingRequestObject) (server.GetPingResponseObject, error) {
	return server.GetPing204Response{}, nil
}

// GetMe answers the workspace, as Livestorm's documentation of /me shows
// (see the spec).
func (a *api) GetMe(context.Context, server.GetMeRequestObject) (server.GetMeResponseObject, error) {
	return server.GetMe200ApplicationVndAPIPlusJSONResponse{Body: server.OrganizationResponse{Data: sandbox.Clone(a.org)}}, nil
}

func (a *api) GetOrganization(context.Context, server.GetOrganizationRequestObject) (server.GetOrganizationResponseObject, error) {
	return server.GetOrganization200ApplicationVndAPIPlusJSONResponse{Body: server.OrganizationResponse{Data: sandbox.Clone(a.org)}}, nil
}
