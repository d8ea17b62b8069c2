package livepushtest

import (
	"context"
	"slices"
	"strings"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

func (a *api) CreateStream(_ context.Context, req server.CreateStreamRequestObject) (server.CreateStreamResponseObject, error) {
	b := table.Deref(req.Body)
	if strings.TrimSpace(b.Name) == "" {
		return nil, badRequest("name is required")
	}
	zone := a.defaultRegion()
	s := server.Stream{
		ID:            newID("st_", 13),
		ChatID:        onair.Ptr(newID("mc_", 12)),
		EmbedID:       onair.Ptr(newID("em_", 12)),
		CreatedAt:     now(),
		IsDisabled:    onair.Ptr(false),
		Metadata:      server.StreamMetadata{Name: b.Name, Category: b.Category},
		Config:        server.StreamConfig{PullURLMaxRetry: onair.Ptr(5), RecordingTier: onair.Ptr("rise")},
		Zone:          server.Zone{Category: table.Deref(zone.Category), Host: table.Deref(zone.Host), IsPublic: table.Deref(zone.IsPublic), IsDefault: table.Deref(zone.IsDefault)},
		UnsafeContent: onair.Ptr(false),
		HasValidated:  onair.Ptr(false),
		StreamKey:     onair.Ptr(newID("rtmp_", 12)),
	}
	a.streams.Put(s.ID, s)
	return server.CreateStream201JSONResponse{
		ID: s.ID, ChatID: s.ChatID, EmbedID: s.EmbedID, CreatedAt: s.CreatedAt,
		Metadata: s.Metadata, Config: s.Config, Destinations: []server.Destination{}, Zone: zone.ID,
		UnsafeContent: s.UnsafeContent, HasValidated: s.HasValidated, StreamKey: s.StreamKey,
	}, nil
}

// defaultRegion is where new streams go, as Livepush "deploys" them to a
// default zone.
func (a *api) defaultRegion() server.Region {
	regions := a.regions.List(nil)
	i := slices.IndexFunc(regions, func(r server.Region) bool { return table.Deref(r.IsDefault) })
	return regions[max(i, 0)] // the seed has regions, and none is ever removed
}

func (a *api) ListStreams(context.Context, server.ListStreamsRequestObject) (server.ListStreamsResponseObject, error) {
	streams := a.streams.List(nil)
	for i := range streams {
		streams[i] = a.withDestinations(streams[i])
	}
	return server.ListStreams200JSONResponse(streams), nil
}

func (a *api) GetStream(_ context.Context, req server.GetStreamRequestObject) (server.GetStreamResponseObject, error) {
	s, ok := a.streams.Get(req.StreamID) // not Find: this is the benchmark's hot read
	if !ok {
		return nil, notFound("Stream")
	}
	return server.GetStream200JSONResponse(a.withDestinations(s)), nil
}

func (a *api) UpdateStream(_ context.Context, req server.UpdateStreamRequestObject) (server.UpdateStreamResponseObject, error) {
	b := table.Deref(req.Body)
	s, err := table.Update(&a.streams, req.StreamID, notFound("Stream"), func(s *server.Stream) error {
		if b.Name != nil && strings.TrimSpace(*b.Name) == "" {
			return invalid("name must not be empty")
		}
		table.Patch(&s.Metadata, b)
		return nil
	})
	return server.UpdateStream200JSONResponse(a.withDestinations(s)), err
}

// DeleteStream deletes the stream with its destinations and videos.
// Recordings outlive it, as recordings of a past stream do.
func (a *api) DeleteStream(_ context.Context, req server.DeleteStreamRequestObject) (server.DeleteStreamResponseObject, error) {
	if !a.streams.Delete(req.StreamID) {
		return nil, notFound("Stream")
	}
	a.dests.DeleteChildren(req.StreamID)
	a.videos.DeleteChildren(req.StreamID)
	return server.DeleteStream204Response{}, nil
}

// withDestinations returns s as reads answer it, with its destinations.
func (a *api) withDestinations(s server.Stream) server.Stream {
	s.Destinations = a.dests.Children(s.ID)
	return s
}
