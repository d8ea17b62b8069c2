package streamdivertest

import (
	"cmp"
	"context"
	"crypto/rand"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

func (a *api) ListChannels(_ context.Context, r server.ListChannelsRequestObject) (server.ListChannelsResponseObject, error) {
	data, p, err := pageOf(a.channels.List(nil), query(r.Params))
	return server.ListChannels200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

// CreateChannel makes a private group channel whose one member, the
// caller, is its Channel Owner.
func (a *api) CreateChannel(_ context.Context, r server.CreateChannelRequestObject) (server.CreateChannelResponseObject, error) {
	c := server.Channel{
		ID: uuid.NewString(), Name: r.Body.Name, Description: r.Body.Description,
		Type: server.ChannelTypeGroup, Visibility: server.ChannelVisibilityPrivate,
		MemberCount: onair.Ptr(1), CreatedAt: a.clock(),
	}
	err := blank("name", c.Name)
	if err == nil {
		a.channels.Put(c.ID, c)
	}
	return server.CreateChannel201JSONResponse{Status: success, Data: c}, err
}

func (a *api) GetChannel(_ context.Context, r server.GetChannelRequestObject) (server.GetChannelResponseObject, error) {
	c, err := table.Find(&a.channels, r.ChannelID, notFound("channel"))
	return server.GetChannel200JSONResponse{Status: success, Data: c}, err
}

func (a *api) UpdateChannel(_ context.Context, r server.UpdateChannelRequestObject) (server.UpdateChannelResponseObject, error) {
	b := r.Body
	c, err := table.Update(&a.channels, r.ChannelID, notFound("channel"), func(c *server.Channel) error {
		return patch(c, b, blankIfGiven("name", b.Name), a.checkDesign("designId", "channel design", server.DesignTypeChannel, b.DesignID))
	})
	return server.UpdateChannel200JSONResponse{Status: success, Data: c}, err
}

func (a *api) UpdateChannelVisibility(_ context.Context, r server.UpdateChannelVisibilityRequestObject) (server.UpdateChannelVisibilityResponseObject, error) {
	c, err := table.Update(&a.channels, r.ChannelID, notFound("channel"), func(c *server.Channel) error {
		c.Visibility = r.Body.Visibility
		return nil
	})
	return server.UpdateChannelVisibility200JSONResponse{Status: success, Data: c}, err
}

// DeleteChannel deletes the channel and its links: its assets and
// livestreams stay, without it.
func (a *api) DeleteChannel(_ context.Context, r server.DeleteChannelRequestObject) (server.DeleteChannelResponseObject, error) {
	if !a.channels.Delete(r.ChannelID) {
		return nil, notFound("channel")
	}
	in := func(ids *[]string) bool { return slices.Contains(table.Deref(ids), r.ChannelID) }
	drop := func(ids *[]string) *[]string {
		return list(slices.DeleteFunc(table.Deref(ids), func(id string) bool { return id == r.ChannelID }))
	}
	for _, m := range a.media.List(func(m asset) bool { return in(m.ChannelIDs) }) {
		a.changeMedia(m.ID, func(m *asset) error {
			m.ChannelIDs = drop(m.ChannelIDs)
			return nil
		})
	}
	for _, l := range a.livestreams.List(func(l server.Livestream) bool { return in(l.ChannelIDs) }) {
		l.ChannelIDs = drop(l.ChannelIDs)
		a.livestreams.Put(l.ID, l)
	}
	return server.DeleteChannel204Response{}, nil
}

// checkChannels reports a channel id that is no channel.
func (a *api) checkChannels(field string, ids []string) error {
	if id, ok := missing(&a.channels, ids); ok {
		return badRequest(field, "no channel "+id)
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
	data, p, err := pageOf(a.livestreams.List(nil), query(r.Params))
	return server.ListLivestreams200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

// CreateLivestream registers a livestream; nothing plays out until it is
// started.
func (a *api) CreateLivestream(_ context.Context, r server.CreateLivestreamRequestObject) (server.CreateLivestreamResponseObject, error) {
	b := r.Body
	l := server.Livestream{
		ID: uuid.NewString(), Name: b.Name, ChannelIDs: list(table.Deref(b.ChannelIDs)),
		Source: onair.Ptr(cmp.Or(server.LivestreamSource(b.Source), server.LivestreamSourceRTMP)), WithDVR: onair.Ptr(table.Deref(b.WithDVR)),
		Status: onair.Ptr("created"), Inputs: list[server.LivestreamInput](nil), CreatedAt: a.clock(),
	}
	err := cmp.Or(blank("name", b.Name), a.checkChannels("channelIds", *l.ChannelIDs))
	if err == nil {
		a.livestreams.Put(l.ID, l)
	}
	return server.CreateLivestream201JSONResponse{Status: success, Data: l}, err
}

func (a *api) GetLivestream(_ context.Context, r server.GetLivestreamRequestObject) (server.GetLivestreamResponseObject, error) {
	a.golive()
	l, err := table.Find(&a.livestreams, r.LivestreamID, notFound("livestream"))
	return server.GetLivestream200JSONResponse{Status: success, Data: l}, err
}

func (a *api) UpdateLivestream(_ context.Context, r server.UpdateLivestreamRequestObject) (server.UpdateLivestreamResponseObject, error) {
	b := r.Body
	l, err := table.Update(&a.livestreams, r.LivestreamID, notFound("livestream"), func(l *server.Livestream) error {
		return patch(l, b, blankIfGiven("name", b.Name), a.checkChannels("channelIds", table.Deref(b.ChannelIDs)))
	})
	return server.UpdateLivestream200JSONResponse{Status: success, Data: l}, err
}

func (a *api) DeleteLivestream(_ context.Context, r server.DeleteLivestreamRequestObject) (server.DeleteLivestreamResponseObject, error) {
	if !a.livestreams.Delete(r.LivestreamID) {
		return nil, notFound("livestream")
	}
	return server.DeleteLivestream204Response{}, nil
}

// StartLivestream starts the ingest of a livestream that is not running
// (created, or stopped earlier) and answers where to send the stream, with
// a new stream key each time.
func (a *api) StartLivestream(_ context.Context, r server.StartLivestreamRequestObject) (server.StartLivestreamResponseObject, error) {
	a.golive()
	l, err := table.Update(&a.livestreams, r.LivestreamID, notFound("livestream"), func(l *server.Livestream) error {
		if s := table.Deref(l.Status); s == "starting" || s == "live" {
			return conflict("livestream is already " + s)
		}
		a.ingest(l, "starting", streamKey())
		return nil
	})
	return server.StartLivestream200JSONResponse{Status: success, Data: l}, err
}

// ingest puts a livestream in status with an RTMP input taking the stream
// key and a playlist to watch it.
func (a *api) ingest(l *server.Livestream, status, key string) {
	l.Status = &status
	l.Inputs = &[]server.LivestreamInput{{
		Source: server.LivestreamSourceRTMP, URL: "rtmp://at-cdn01.streamdiver.com/live-" + a.tenant.Shortcode + "/" + key, Primary: onair.Ptr(true),
	}}
	l.PlaylistURL = onair.Ptr(cdn + "/" + a.tenant.Shortcode + "/live/" + l.ID + "/playlist.m3u8")
}

// streamKey is a new stream key, as Streamdiver makes one per start.
func streamKey() string { return strings.ToLower(rand.Text()[:10]) }

// StopLivestream ends a livestream, also one that never went live; only a
// stopped one cannot be stopped again.
func (a *api) StopLivestream(_ context.Context, r server.StopLivestreamRequestObject) (server.StopLivestreamResponseObject, error) {
	l, err := table.Update(&a.livestreams, r.LivestreamID, notFound("livestream"), func(l *server.Livestream) error {
		if table.Deref(l.Status) == "stopped" {
			return conflict("livestream is already stopped")
		}
		l.Status, l.Inputs, l.PlaylistURL = onair.Ptr("stopped"), list[server.LivestreamInput](nil), nil
		return nil
	})
	return server.StopLivestream200JSONResponse{Status: success, Data: l}, err
}
