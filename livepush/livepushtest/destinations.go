package livepushtest

import (
	"cmp"
	"context"
	"strings"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

func (a *api) ListSavedDestinations(context.Context, server.ListSavedDestinationsRequestObject) (server.ListSavedDestinationsResponseObject, error) {
	return server.ListSavedDestinations200JSONResponse(a.saved.List(nil)), nil
}

func (a *api) ListStreamDestinations(_ context.Context, req server.ListStreamDestinationsRequestObject) (server.ListStreamDestinationsResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	return server.ListStreamDestinations200JSONResponse(a.dests.Children(req.StreamID)), nil
}

func (a *api) CreateDestination(_ context.Context, req server.CreateDestinationRequestObject) (server.CreateDestinationResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	if b.AppName == "custom" && (table.Deref(b.RTMPBase) == "" || table.Deref(b.StreamKey) == "") {
		return nil, invalid("rtmpBase and streamKey are required for custom RTMP")
	}
	if err := checkRTMP(b.RTMPBase); err != nil {
		return nil, err
	}
	// The stream key is write-only: no answer carries it, so the fake
	// does not keep it.
	d := server.Destination{
		ID:         newID("pb_", 9),
		AppName:    b.AppName,
		Label:      b.Label,
		RTMPBase:   cmp.Or(b.RTMPBase, platformRTMP(b.AppName)),
		UpdatedAt:  onair.Ptr(now()),
		IsPinned:   onair.Ptr(false),
		IsDisabled: onair.Ptr(table.Deref(b.IsDisabled)),
	}
	a.dests.Put(table.Child(req.StreamID, d.ID), d)
	return server.CreateDestination201JSONResponse(d), nil
}

func (a *api) UpdateDestination(_ context.Context, req server.UpdateDestinationRequestObject) (server.UpdateDestinationResponseObject, error) {
	b := table.Deref(req.Body)
	d, err := a.updateDestination(req.StreamID, req.DestinationID, func(d *server.Destination) error {
		table.Patch(d, b)            // the stream key is write-only, and not kept
		return checkRTMP(b.RTMPBase) // a refused change is not stored
	})
	return server.UpdateDestination200JSONResponse(d), err
}

func (a *api) DeleteDestination(_ context.Context, req server.DeleteDestinationRequestObject) (server.DeleteDestinationResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	if !a.dests.Delete(table.Child(req.StreamID, req.DestinationID)) {
		return nil, notFound("Destination")
	}
	return server.DeleteDestination204Response{}, nil
}

func (a *api) EnableDestination(_ context.Context, req server.EnableDestinationRequestObject) (server.EnableDestinationResponseObject, error) {
	_, err := a.updateDestination(req.StreamID, req.DestinationID, setDisabled(false))
	return server.EnableDestination204Response{}, err
}

func (a *api) DisableDestination(_ context.Context, req server.DisableDestinationRequestObject) (server.DisableDestinationResponseObject, error) {
	_, err := a.updateDestination(req.StreamID, req.DestinationID, setDisabled(true))
	return server.DisableDestination204Response{}, err
}

func setDisabled(disabled bool) func(*server.Destination) error {
	return func(d *server.Destination) error {
		d.IsDisabled = onair.Ptr(disabled)
		return nil
	}
}

// updateDestination changes a stream's destination with change, as
// table.Update does, and marks it updated now. A missing stream or
// destination is a 404 that names which.
func (a *api) updateDestination(streamID, destID string, change func(*server.Destination) error) (server.Destination, error) {
	if !a.streams.Has(streamID) {
		return server.Destination{}, notFound("Stream")
	}
	return table.Update(&a.dests, table.Child(streamID, destID), notFound("Destination"), func(d *server.Destination) error {
		d.UpdatedAt = onair.Ptr(now())
		return change(d)
	})
}

// checkRTMP refuses a base that is not an RTMP server URL.
func checkRTMP(base *string) error {
	if base != nil && !strings.HasPrefix(*base, "rtmp://") && !strings.HasPrefix(*base, "rtmps://") {
		return invalid("rtmpBase must be an rtmp:// or rtmps:// URL")
	}
	return nil
}

// platformRTMP is the ingest URL of a platform Livepush logs in to, for
// destinations created without one.
func platformRTMP(appName string) *string {
	base, ok := map[string]string{
		"youtube":  "rtmp://a.rtmp.youtube.com/live2",
		"facebook": "rtmps://live-api-s.facebook.com:443/rtmp/",
		"twitch":   "rtmp://live.twitch.tv/app",
	}[appName]
	if !ok {
		return nil
	}
	return &base
}
