package livestormtest

import (
	"context"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livestorm/internal/server"
)

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

func (a *api) ListWebhooks(_ context.Context, req server.ListWebhooksRequestObject) (server.ListWebhooksResponseObject, error) {
	page, meta, err := paginate(a.webhooks.List(nil), req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListWebhooks200ApplicationVndAPIPlusJSONResponse{Body: server.WebhookList{Data: page, Meta: meta}}, nil
}

// CreateWebhook subscribes an HTTPS URL, as Livestorm delivers only there.
// The sandbox records the subscription and delivers nothing.
func (a *api) CreateWebhook(_ context.Context, req server.CreateWebhookRequestObject) (server.CreateWebhookResponseObject, error) {
	w := req.Body.Data.Attributes
	if !httpsURL(w.URL) {
		return nil, errorf(http.StatusUnprocessableEntity, "The webhook URL must be an https URL.")
	}
	now := a.now().Unix()
	h := server.Webhook{ID: uuid.NewString(), Type: "webhooks", Attributes: server.WebhookAttributes{
		URL: &w.URL, Event: onair.Ptr(string(w.Event)), CreatedAt: &now, UpdatedAt: &now,
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
