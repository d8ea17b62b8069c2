package streamdivertest

import (
	"cmp"
	"context"
	"crypto/rand"
	"strings"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

func (a *api) ListChannels(_ context.Context, r server.ListChannelsRequestObject) (server.ListChannelsResponseObject, error) {
	data, p, bad := pageOf(a.channels.List(nil), query(r.Params))
	if bad != nil {
		return server.ListChannels400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	return server.ListChannels200JSONResponse{Status: success, Data: data, Pagination: p}, nil
}

// CreateChannel makes a private group channel whose one member, the
// caller, is its Channel Owner.
func (a *api) CreateChannel(_ context.Context, r server.CreateChannelRequestObject) (server.CreateChannelResponseObject, error) {
	if bad := blank("name", r.Body.Name); bad != nil {
		return server.CreateChannel400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	c := server.Channel{
		ID: uuid.NewString(), Name: r.Body.Name, Description: r.Body.Description,
		Type: server.ChannelTypeGroup, Visibility: server.ChannelVisibilityPrivate,
		MemberCount: onair.Ptr(1), CreatedAt: a.clock(),
	}
	a.channels.Put(c.ID, c)
	return server.CreateChannel201JSONResponse{Status: success, Data: c}, nil
}

func (a *api) GetChannel(_ context.Context, r server.GetChannelRequestObject) (server.GetChannelResponseObject, error) {
	c, ok := a.channels.Get(r.ChannelID)
	if !ok {
		return server.GetChannel404JSONResponse{NotFoundJSONResponse: notFound("channel")}, nil
	}
	return server.GetChannel200JSONResponse{Status: success, Data: c}, nil
}

func (a *api) UpdateChannel(_ context.Context, r server.UpdateChannelRequestObject) (server.UpdateChannelResponseObject, error) {
	c, ok := a.channels.Get(r.ChannelID)
	if !ok {
		return server.UpdateChannel404JSONResponse{NotFoundJSONResponse: notFound("channel")}, nil
	}
	b := r.Body
	if bad := rename(&c.Name, b.Name); bad != nil {
		return server.UpdateChannel400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	if b.Description != nil {
		c.Description = b.Description
	}
	if b.DesignID != nil {
		if d, ok := a.designs.Get(*b.DesignID); !ok || d.Type != server.DesignTypeChannel {
			return server.UpdateChannel400JSONResponse{BadRequestJSONResponse: badRequest("designId", "no channel design "+*b.DesignID)}, nil
		}
		c.DesignID = b.DesignID
	}
	a.channels.Put(c.ID, c)
	return server.UpdateChannel200JSONResponse{Status: success, Data: c}, nil
}

func (a *api) UpdateChannelVisibility(_ context.Context, r server.UpdateChannelVisibilityRequestObject) (server.UpdateChannelVisibilityResponseObject, error) {
	c, ok := a.channels.Get(r.ChannelID)
	if !ok {
		return server.UpdateChannelVisibility404JSONResponse{NotFoundJSONResponse: notFound("channel")}, nil
	}
	if !r.Body.Visibility.Valid() {
		return server.UpdateChannelVisibility400JSONResponse{BadRequestJSONResponse: badRequest("visibility", "visibility must be public, shared or private")}, nil
	}
	c.Visibility = r.Body.Visibility
	a.channels.Put(c.ID, c)
	return server.UpdateChannelVisibility200JSONResponse{Status: success, Data: c}, nil
}

// DeleteChannel deletes the channel and its links: its assets and
// livestreams stay, without it.
func (a *api) DeleteChannel(_ context.Context, r server.DeleteChannelRequestObject) (server.DeleteChannelResponseObject, error) {
	if !a.channels.Delete(r.ChannelID) {
		return server.DeleteChannel404JSONResponse{NotFoundJSONResponse: notFound("channel")}, nil
	}
	unlink := func(ids *[]string) (*[]string, bool) {
		kept := []string{}
		for _, id := range table.Deref(ids) {
			if id != r.ChannelID {
				kept = append(kept, id)
			}
		}
		return &kept, len(kept) != len(table.Deref(ids))
	}
	for _, m := range a.media.List(nil) {
		if ids, changed := unlink(m.ChannelIDs); changed {
			m.ChannelIDs, m.UpdatedAt = ids, a.clock()
			a.media.Put(m.ID, m)
		}
	}
	for _, l := range a.livestreams.List(nil) {
		if ids, changed := unlink(l.ChannelIDs); changed {
			l.ChannelIDs = ids
			a.livestreams.Put(l.ID, l)
		}
	}
	return server.DeleteChannel204Response{}, nil
}

// checkChannels reports a channel id that is no channel.
func (a *api) checkChannels(field string, ids []string) *invalid {
	for _, id := range ids {
		if !a.channels.Has(id) {
			return &invalid{field, "no channel " + id}
		}
	}
	return nil
}

// golive turns livestreams that were starting live: the fake has no
// ingest to wait for, so by the time anyone looks again they are.
func (a *api) golive() {
	for _, l := range a.livestreams.List(nil) {
		if table.Deref(l.Status) == "starting" {
			l.Status = onair.Ptr("live")
			a.livestreams.Put(l.ID, l)
		}
	}
}

func (a *api) ListLivestreams(_ context.Context, r server.ListLivestreamsRequestObject) (server.ListLivestreamsResponseObject, error) {
	a.golive()
	data, p, bad := pageOf(a.livestreams.List(nil), query(r.Params))
	if bad != nil {
		return server.ListLivestreams400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	return server.ListLivestreams200JSONResponse{Status: success, Data: data, Pagination: p}, nil
}

// CreateLivestream registers a livestream; nothing plays out until it is
// started.
func (a *api) CreateLivestream(_ context.Context, r server.CreateLivestreamRequestObject) (server.CreateLivestreamResponseObject, error) {
	b := r.Body
	if bad := blank("name", b.Name); bad != nil {
		return server.CreateLivestream400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	if bad := a.checkChannels("channelIds", table.Deref(b.ChannelIDs)); bad != nil {
		return server.CreateLivestream400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	l := server.Livestream{
		ID: uuid.NewString(), Name: b.Name, ChannelIDs: list(table.Deref(b.ChannelIDs)),
		Source: onair.Ptr(cmp.Or(server.LivestreamSource(b.Source), server.LivestreamSourceRTMP)), WithDVR: onair.Ptr(table.Deref(b.WithDVR)),
		Status: onair.Ptr("created"), Inputs: list[server.LivestreamInput](nil), CreatedAt: a.clock(),
	}
	a.livestreams.Put(l.ID, l)
	return server.CreateLivestream201JSONResponse{Status: success, Data: l}, nil
}

func (a *api) GetLivestream(_ context.Context, r server.GetLivestreamRequestObject) (server.GetLivestreamResponseObject, error) {
	a.golive()
	l, ok := a.livestreams.Get(r.LivestreamID)
	if !ok {
		return server.GetLivestream404JSONResponse{NotFoundJSONResponse: notFound("livestream")}, nil
	}
	return server.GetLivestream200JSONResponse{Status: success, Data: l}, nil
}

func (a *api) UpdateLivestream(_ context.Context, r server.UpdateLivestreamRequestObject) (server.UpdateLivestreamResponseObject, error) {
	l, ok := a.livestreams.Get(r.LivestreamID)
	if !ok {
		return server.UpdateLivestream404JSONResponse{NotFoundJSONResponse: notFound("livestream")}, nil
	}
	b := r.Body
	if bad := rename(&l.Name, b.Name); bad != nil {
		return server.UpdateLivestream400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	if b.ChannelIDs != nil {
		if bad := a.checkChannels("channelIds", *b.ChannelIDs); bad != nil {
			return server.UpdateLivestream400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
		}
		l.ChannelIDs = list(*b.ChannelIDs)
	}
	if b.WithDVR != nil {
		l.WithDVR = b.WithDVR
	}
	a.livestreams.Put(l.ID, l)
	return server.UpdateLivestream200JSONResponse{Status: success, Data: l}, nil
}

func (a *api) DeleteLivestream(_ context.Context, r server.DeleteLivestreamRequestObject) (server.DeleteLivestreamResponseObject, error) {
	if !a.livestreams.Delete(r.LivestreamID) {
		return server.DeleteLivestream404JSONResponse{NotFoundJSONResponse: notFound("livestream")}, nil
	}
	return server.DeleteLivestream204Response{}, nil
}

// StartLivestream starts the ingest of a livestream that is not running
// (created, or stopped earlier) and answers where to send the stream, with
// a new stream key each time.
func (a *api) StartLivestream(_ context.Context, r server.StartLivestreamRequestObject) (server.StartLivestreamResponseObject, error) {
	a.golive()
	l, ok := a.livestreams.Get(r.LivestreamID)
	if !ok {
		return server.StartLivestream404JSONResponse{NotFoundJSONResponse: notFound("livestream")}, nil
	}
	if s := table.Deref(l.Status); s == "starting" || s == "live" {
		return server.StartLivestream409JSONResponse{ConflictJSONResponse: conflict("livestream is already " + s)}, nil
	}
	key := strings.ToLower(rand.Text()[:10])
	l.Status = onair.Ptr("starting")
	l.Inputs = &[]server.LivestreamInput{{
		Source: server.LivestreamSourceRTMP, URL: "rtmp://at-cdn01.streamdiver.com/live-" + a.tenant.Shortcode + "/" + key, Primary: onair.Ptr(true),
	}}
	l.PlaylistURL = onair.Ptr(cdn + "/" + a.tenant.Shortcode + "/live/" + l.ID + "/playlist.m3u8")
	a.livestreams.Put(l.ID, l)
	return server.StartLivestream200JSONResponse{Status: success, Data: l}, nil
}

// StopLivestream ends a livestream, also one that never went live; only a
// stopped one cannot be stopped again.
func (a *api) StopLivestream(_ context.Context, r server.StopLivestreamRequestObject) (server.StopLivestreamResponseObject, error) {
	l, ok := a.livestreams.Get(r.LivestreamID)
	if !ok {
		return server.StopLivestream404JSONResponse{NotFoundJSONResponse: notFound("livestream")}, nil
	}
	if table.Deref(l.Status) == "stopped" {
		return server.StopLivestream409JSONResponse{ConflictJSONResponse: conflict("livestream is already stopped")}, nil
	}
	l.Status, l.Inputs, l.PlaylistURL = onair.Ptr("stopped"), list[server.LivestreamInput](nil), nil
	a.livestreams.Put(l.ID, l)
	return server.StopLivestream200JSONResponse{Status: success, Data: l}, nil
}
