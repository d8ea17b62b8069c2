package livestormtest

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/deliver"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// subscribable reports whether Livestorm takes s as a webhook URL: an
// https URL, or, in the sandbox only, an http URL of a loopback host (see
// deliveries.go).
func subscribable(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http" && deliver.Loopback(s))
}

func (a *api) ListWebhooks(_ context.Context, req server.ListWebhooksRequestObject) (server.ListWebhooksResponseObject, error) {
	var keep func(server.Webhook) bool
	if ev := req.Params.FilterEvent; ev != nil {
		keep = func(h server.Webhook) bool { return table.Deref(h.Attributes.Event) == string(*ev) }
	}
	page, meta, err := paginate(a.webhooks.List(keep), req.Params.PageNumber, req.Params.PageSize)
	return server.ListWebhooks200ApplicationVndAPIPlusJSONResponse{Body: server.WebhookList{Data: page, Meta: meta}}, err
}

// CreateWebhook subscribes a URL that subscribable takes.
func (a *api) CreateWebhook(_ context.Context, req server.CreateWebhookRequestObject) (server.CreateWebhookResponseObject, error) {
	w := req.Body.Data.Attributes
	if !subscribable(w.URL) {
		return nil, errorf(http.StatusUnprocessableEntity, "The webhook URL must be an https URL (or, in the sandbox, an http URL of a loopback host).")
	}
	now := a.now().Unix()
	h := server.Webhook{ID: uuid.NewString(), Type: "webhooks", Attributes: server.WebhookAttributes{
		URL: &w.URL, Event: onair.Ptr(string(w.Event)), CreatedAt: &now, UpdatedAt: &now, Disabled: onair.Ptr(false),
	}}
	a.webhooks.Put(h.ID, h)
	return server.CreateWebhook201ApplicationVndAPIPlusJSONResponse{Body: server.WebhookResponse{Data: h}}, nil
}

func (a *api) DeleteWebhook(_ context.Context, req server.DeleteWebhookRequestObject) (server.DeleteWebhookResponseObject, error) {
	if !a.webhooks.Delete(req.ID) {
		return nil, notFound("webhook")
	}
	return server.DeleteWebhook204Response{}, nil
}
