package livestorm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/onair-go/onair"
)

// WebhookChanges is what ReconcileWebhooks did.
type WebhookChanges struct {
	Created []Webhook // subscriptions it made
	Deleted []Webhook // subscriptions it removed: extra, stale or disabled
	Kept    []Webhook // subscriptions that were right already
}

// ReconcileWebhooks makes the workspace's subscriptions under base match
// events, for a Receiver of secret mounted at base: it subscribes
// WebhookURL(base, secret, e) for each event e that has no working
// subscription, re-creates those Livestorm disabled after failed
// deliveries, and deletes every other subscription whose URL is under
// base: events no longer declared, duplicates, and URLs of an older secret
// (so that rotating the secret is one call). Subscriptions to other URLs
// are left alone, so give the receiver a base of its own.
//
// New subscriptions are made before old ones are deleted, so that a failure
// halfway leaves too many rather than too few; calling it again finishes
// the work. It needs the webhooks:write scope.
func (c *Client) ReconcileWebhooks(ctx context.Context, base, secret string, events []WebhookEvent, opts ...onair.CallOption) (WebhookChanges, error) {
	var ch WebhookChanges
	want := make(map[string]WebhookEvent, len(events)) // URL → event
	for _, e := range events {
		u, err := WebhookURL(base, secret, e)
		if err != nil {
			return ch, err
		}
		want[u] = e
	}
	prefix, err := basePrefix(base)
	if err != nil {
		return ch, err
	}
	var ours []Webhook
	for h, err := range c.Webhooks.List(ctx, nil, opts...) {
		if err != nil {
			return ch, fmt.Errorf("livestorm: reconciling webhooks: %w", err)
		}
		if strings.HasPrefix(h.URL, prefix) {
			ours = append(ours, h)
		}
	}
	covered := map[string]bool{}
	var extra []Webhook
	for _, h := range ours {
		if e, ok := want[h.URL]; ok && string(e) == h.Event && !h.Disabled && !covered[h.URL] {
			covered[h.URL] = true
			ch.Kept = append(ch.Kept, h)
			continue
		}
		extra = append(extra, h)
	}
	urls := make([]string, 0, len(want))
	for u := range want {
		urls = append(urls, u)
	}
	slices.Sort(urls) // a stable order, for logs and tests
	for _, u := range urls {
		if covered[u] {
			continue
		}
		h, err := c.Webhooks.Create(ctx, CreateWebhookRequest{URL: u, Event: want[u]}, opts...)
		if err != nil {
			return ch, fmt.Errorf("livestorm: reconciling webhooks: subscribing %s: %w", want[u], err)
		}
		ch.Created = append(ch.Created, *h)
	}
	for _, h := range extra {
		if err := c.Webhooks.Delete(ctx, h.ID, opts...); err != nil {
			return ch, fmt.Errorf("livestorm: reconciling webhooks: deleting subscription %s: %w", h.ID, err)
		}
		ch.Deleted = append(ch.Deleted, h)
	}
	return ch, nil
}
