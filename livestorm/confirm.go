package livestorm

import (
	"context"
	"fmt"

	"github.com/onair-go/onair"
)

// Confirm fetches the resource n is about through the API and returns a
// Notification of the same event holding the API's copy, so that code can
// act on data that came from Livestorm rather than from whoever knew the
// receiver's URL (deliveries carry no signature). An error, such as a 404
// for a resource the account does not have, means the delivery is not to
// be trusted, or that the API could not be reached.
//
// The people events are confirmed with the person of the workspace,
// whose RegistrantDetail the API does not fill; keep the delivery's for the
// registration itself once the person is confirmed.
func (c *Client) Confirm(ctx context.Context, n Notification, opts ...onair.CallOption) (Notification, error) {
	id := n.ResourceID()
	var err error
	out, into := newNotification(n.Name())
	switch into := into.(type) {
	case *Event:
		var e *Event
		if e, err = c.Events.Get(ctx, id, opts...); err == nil {
			*into = *e
		}
	case *Session:
		var s *Session
		if s, err = c.Sessions.Get(ctx, id, opts...); err == nil {
			*into = *s
		}
	case *Person:
		var p *Person
		if p, err = c.People.Get(ctx, id, opts...); err == nil {
			*into = *p
		}
	case *Job:
		var j *Job
		if j, err = c.Jobs.Get(ctx, id, opts...); err == nil {
			*into = *j
		}
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnknownEvent, n.Name())
	}
	if err != nil {
		return nil, fmt.Errorf("livestorm: confirming a %s delivery about %s: %w", n.Name(), id, err)
	}
	return out, nil
}
