package streamdivertest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/deliver"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// defaultMaxActiveWebhooks is the limit of active webhooks per user when
// the tenant settings name none. Streamdiver documents that a limit
// exists, not its value.
const defaultMaxActiveWebhooks = 10

// hook is a webhook and the user who made it: each user may have only so
// many active webhooks.
type hook struct {
	server.Webhook
	Owner string `json:"owner"`
}

func (a *api) ListWebhooks(_ context.Context, r server.ListWebhooksRequestObject) (server.ListWebhooksResponseObject, error) {
	var rows []server.Webhook
	for _, h := range a.hooks.List(nil) {
		rows = append(rows, h.Webhook)
	}
	data, p, err := pageOf(rows, query(r.Params))
	return server.ListWebhooks200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

// CreateWebhook subscribes a URL, active unless the body says otherwise.
func (a *api) CreateWebhook(ctx context.Context, r server.CreateWebhookRequestObject) (server.CreateWebhookResponseObject, error) {
	b := r.Body
	now := a.clock()
	h := hook{
		Webhook: server.Webhook{
			ID: uuid.NewString(), URL: b.URL, Events: b.Events, Active: *cmp.Or(b.Active, onair.Ptr(true)),
			Description: b.Description, CreatedAt: now, UpdatedAt: now,
		},
		Owner: caller(ctx),
	}
	if err := cmp.Or(checkURL(h.URL), a.checkLimit(h)); err != nil {
		return nil, err
	}
	a.hooks.Put(h.ID, h)
	return server.CreateWebhook201JSONResponse{Status: success, Data: h.Webhook}, nil
}

func (a *api) GetWebhook(_ context.Context, r server.GetWebhookRequestObject) (server.GetWebhookResponseObject, error) {
	h, err := table.Find(&a.hooks, r.WebhookID, notFound("webhook"))
	return server.GetWebhook200JSONResponse{Status: success, Data: h.Webhook}, err
}

func (a *api) UpdateWebhook(_ context.Context, r server.UpdateWebhookRequestObject) (server.UpdateWebhookResponseObject, error) {
	b := r.Body
	h, err := table.Update(&a.hooks, r.WebhookID, notFound("webhook"), func(h *hook) error {
		table.Patch(h, b)
		h.UpdatedAt = a.clock()
		return cmp.Or(checkURL(h.URL), a.checkLimit(*h))
	})
	return server.UpdateWebhook200JSONResponse{Status: success, Data: h.Webhook}, err
}

// DeleteWebhook deletes the webhook and its logs; deliveries under way
// finish, and their outcome is not logged.
func (a *api) DeleteWebhook(_ context.Context, r server.DeleteWebhookRequestObject) (server.DeleteWebhookResponseObject, error) {
	if !a.hooks.Delete(r.WebhookID) {
		return nil, notFound("webhook")
	}
	a.logs.DeleteChildren(r.WebhookID)
	return server.DeleteWebhook204Response{}, nil
}

func (a *api) PingWebhook(_ context.Context, r server.PingWebhookRequestObject) (server.PingWebhookResponseObject, error) {
	h, err := table.Find(&a.hooks, r.WebhookID, notFound("webhook"))
	if err != nil {
		return nil, err
	}
	a.deliver(h.Webhook, a.event(server.WebhookEventPing, h.ID, nil))
	return server.PingWebhook204Response{}, nil
}

func (a *api) ListWebhookLogs(_ context.Context, r server.ListWebhookLogsRequestObject) (server.ListWebhookLogsResponseObject, error) {
	if !a.hooks.Has(r.WebhookID) {
		return nil, notFound("webhook")
	}
	data, p, err := pageOf(a.logs.Children(r.WebhookID), query(r.Params))
	return server.ListWebhookLogs200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

func (a *api) GetWebhookLog(_ context.Context, r server.GetWebhookLogRequestObject) (server.GetWebhookLogResponseObject, error) {
	l, err := table.Find(&a.logs, table.Child(r.WebhookID, r.LogID), notFound("delivery log"))
	return server.GetWebhookLog200JSONResponse{Status: success, Data: l}, err
}

// RetryWebhookDelivery sends a logged delivery again, as it was, to the
// webhook's URL now, active or not, and updates its log.
func (a *api) RetryWebhookDelivery(_ context.Context, r server.RetryWebhookDeliveryRequestObject) (server.RetryWebhookDeliveryResponseObject, error) {
	h, err := table.Find(&a.hooks, r.WebhookID, notFound("webhook"))
	if err != nil {
		return nil, err
	}
	l, err := table.Find(&a.logs, table.Child(r.WebhookID, r.LogID), notFound("delivery log"))
	if err != nil {
		return nil, err
	}
	a.send(h.Webhook, l)
	return server.RetryWebhookDelivery204Response{}, nil
}

// checkURL reports a webhook URL that cannot be POSTed to.
func checkURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return badRequest("url", "url must be an absolute http or https URL")
	}
	return nil
}

// checkLimit reports an active webhook beyond its owner's limit.
func (a *api) checkLimit(h hook) error {
	if !h.Active {
		return nil
	}
	limit := *cmp.Or(a.settings.MaxActiveWebhooks, onair.Ptr(defaultMaxActiveWebhooks))
	active := len(a.hooks.List(func(o hook) bool { return o.Owner == h.Owner && o.Active && o.ID != h.ID }))
	if active >= limit {
		return conflict(fmt.Sprintf("the user has %d active webhooks, the tenant's limit: deactivate or delete one first", active))
	}
	return nil
}

// event is the payload of an event of kind to the webhook hookID, with
// the event's own fields from fields (nil for none).
func (a *api) event(kind server.WebhookEvent, hookID string, fields map[string]any) map[string]any {
	e := map[string]any{"id": uuid.NewString(), "event": kind, "createdAt": a.clock(), "webhookId": hookID}
	maps.Copy(e, fields)
	return table.Remarshal[map[string]any](e)
}

// emit delivers an event of kind to every active webhook subscribed to
// it, each with an id of its own, as each is a delivery of its own.
func (a *api) emit(kind server.WebhookEvent, fields map[string]any) {
	for _, h := range a.hooks.List(func(h hook) bool { return h.Active && slices.Contains(h.Events, kind) }) {
		a.deliver(h.Webhook, a.event(kind, h.ID, fields))
	}
}

// deliver logs a delivery of payload to h and starts it.
func (a *api) deliver(h server.Webhook, payload map[string]any) {
	a.send(h, server.WebhookLog{
		ID: uuid.NewString(), WebhookID: h.ID, EventID: payload["id"].(string), Event: server.WebhookEvent(payload["event"].(string)),
		Payload: &payload, CreatedAt: a.clock(),
	})
}

// send POSTs the payload of l, a delivery's log, to h's URL and keeps l up
// to date with each attempt. a.mu is held; the outcomes come later, under
// it too.
func (a *api) send(h server.Webhook, l server.WebhookLog) {
	body, _ := json.Marshal(l.Payload) // JSON values, as read from JSON, always encode
	key := table.Child(h.ID, l.ID)
	l.Status = server.WebhookLogStatusPending
	a.logs.Put(key, l)
	base := l.Attempts
	err := a.out.Send(deliver.Delivery{
		URL:  h.URL,
		Body: body,
		OnAttempt: func(o deliver.Outcome) {
			a.mu.Lock()
			defer a.mu.Unlock()
			if !a.logs.Has(key) {
				return // the webhook was deleted, its logs with it
			}
			table.Update(&a.logs, key, nil, func(l *server.WebhookLog) error {
				l.Attempts, l.ResponseStatus = base+o.Attempts, nil
				if o.Status != 0 {
					l.ResponseStatus = onair.Ptr(o.Status)
				}
				l.Status = server.WebhookLogStatusFailed
				if o.Delivered() {
					l.Status, l.DeliveredAt = server.WebhookLogStatusDelivered, a.clock()
				}
				return nil
			})
		},
	})
	if err != nil { // the sandbox is closing: nothing will read the log
		a.logs.Delete(key)
	}
}

// mediaChanged emits media.updated with the properties of an asset that
// changed from before to after, if any did besides its updatedAt.
func (a *api) mediaChanged(before, after server.Media) {
	was, is := table.Remarshal[map[string]any](before), table.Remarshal[map[string]any](after)
	names := slices.Sorted(maps.Keys(is))
	for k := range was {
		if _, ok := is[k]; !ok {
			names = append(names, k)
		}
	}
	var changed []string
	for _, k := range names {
		if k != "updatedAt" && !reflect.DeepEqual(was[k], is[k]) {
			changed = append(changed, k)
		}
	}
	if len(changed) > 0 {
		a.emit(server.WebhookEventMediaUpdated, map[string]any{"media": after, "changedProperties": changed})
	}
}
