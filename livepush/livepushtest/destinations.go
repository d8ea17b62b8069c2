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
		return server.ListStreamDestinations404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.ListStreamDestinations200JSONResponse(a.dests.Children(req.StreamID)), nil
}

func (a *api) CreateDestination(_ context.Context, req server.CreateDestinationRequestObject) (server.CreateDestinationResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.streams.Has(req.StreamID) {
		return server.CreateDestination404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if b.AppName == "custom" && (table.Deref(b.RTMPBase) == "" || table.Deref(b.StreamKey) == "") {
		return server.CreateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid("rtmpBase and streamKey are required for custom RTMP")}, nil
	}
	if msg := checkRTMP(b.RTMPBase); msg != "" {
		return server.CreateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid(msg)}, nil
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
	d, missing := a.destination(req.StreamID, req.DestinationID)
	if missing != "" {
		return server.UpdateDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	if msg := checkRTMP(b.RTMPBase); msg != "" {
		return server.UpdateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid(msg)}, nil
	}
	table.Patch(&d, b) // the stream key is write-only, and not kept
	d.UpdatedAt = onair.Ptr(now())
	a.dests.Put(table.Child(req.StreamID, d.ID), d)
	return server.UpdateDestination200JSONResponse(d), nil
}

func (a *api) DeleteDestination(_ context.Context, req server.DeleteDestinationRequestObject) (server.DeleteDestinationResponseObject, error) {
	if _, missing := a.destination(req.StreamID, req.DestinationID); missing != "" {
		return server.DeleteDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	a.dests.Delete(table.Child(req.StreamID, req.DestinationID))
	return server.DeleteDestination204Response{}, nil
}

func (a *api) EnableDestination(_ context.Context, req server.EnableDestinationRequestObject) (server.EnableDestinationResponseObject, error) {
	if missing := a.setDisabled(req.StreamID, req.DestinationID, false); missing != "" {
		return server.EnableDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	return server.EnableDestination204Response{}, nil
}

func (a *api) DisableDestination(_ context.Context, req server.DisableDestinationRequestObject) (server.DisableDestinationResponseObject, error) {
	if missing := a.setDisabled(req.StreamID, req.DestinationID, true); missing != "" {
		return server.DisableDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	return server.DisableDestination204Response{}, nil
}

// setDisabled turns a stream's destination off or on. It returns what is
// not found, or "".
func (a *api) setDisabled(streamID, destID string, disabled bool) string {
	d, missing := a.destination(streamID, destID)
	if missing == "" {
		d.IsDisabled, d.UpdatedAt = onair.Ptr(disabled), onair.Ptr(now())
		a.dests.Put(table.Child(streamID, destID), d)
	}
	return missing
}

// destination looks up a stream's destination. When either is missing it
// returns which one, as the 404's message names it.
func (a *api) destination(streamID, destID string) (server.Destination, string) {
	if !a.streams.Has(streamID) {
		return server.Destination{}, "Stream"
	}
	d, ok := a.dests.Get(table.Child(streamID, destID))
	if !ok {
		return d, "Destination"
	}
	return d, ""
}

// checkRTMP returns why base is not an RTMP server URL, or "".
func checkRTMP(base *string) string {
	if base != nil && !strings.HasPrefix(*base, "rtmp://") && !strings.HasPrefix(*base, "rtmps://") {
		return "rtmpBase must be an rtmp:// or rtmps:// URL"
	}
	return ""
}

// platformRTMP is the ingest URL of a platform Livepush logs in to, for
// destinations created without one.
func platformRTMP(appName string) *string {
	switch appName {
	case "youtube":
		return onair.Ptr("rtmp://a.rtmp.youtube.com/live2")
	case "facebook":
		return onair.Ptr("rtmps://live-api-s.facebook.com:443/rtmp/")
	case "twitch":
		return onair.Ptr("rtmp://live.twitch.tv/app")
	}
	return nil
}
