package livepushtest

import (
	"context"
	"hash/fnv"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

func (a *api) ListVideos(_ context.Context, req server.ListVideosRequestObject) (server.ListVideosResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	return server.ListVideos200JSONResponse(a.videos.Children(req.StreamID)), nil
}

// UploadVideo adds the video queued: Livepush fetches and transcodes it
// later, which the fake never does.
func (a *api) UploadVideo(_ context.Context, req server.UploadVideoRequestObject) (server.UploadVideoResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	if u, err := url.Parse(b.Source.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, invalid("source.url must be an http or https URL")
	}
	id := newID("vid_", 12)
	v := server.Video{
		ID:          id,
		Name:        &b.Name,
		Status:      onair.Ptr(server.VideoStatusQueued),
		PlaybackURL: onair.Ptr("https://cdn.example.com/videos/" + id + "/index.m3u8"),
		CreatedAt:   onair.Ptr(now()),
	}
	a.videos.Put(table.Child(req.StreamID, id), v)
	return server.UploadVideo200JSONResponse(v), nil
}

func (a *api) DeleteVideo(_ context.Context, req server.DeleteVideoRequestObject) (server.DeleteVideoResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	if !a.videos.Delete(table.Child(req.StreamID, req.VideoID)) {
		return nil, notFound("Video")
	}
	return server.DeleteVideo204Response{}, nil
}

// InspectVideoMetadata makes up the metadata of the video at the URL
// without fetching it: the container from the file name, the rest from a
// hash of the URL, so that the same URL always reads the same.
func (a *api) InspectVideoMetadata(_ context.Context, req server.InspectVideoMetadataRequestObject) (server.InspectVideoMetadataResponseObject, error) {
	b := table.Deref(req.Body)
	u, err := url.Parse(b.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "s3") {
		return nil, invalid("url must be an S3 or HTTPS URL")
	}
	container := strings.ToLower(strings.TrimPrefix(path.Ext(u.Path), "."))
	if container == "" {
		container = "mp4"
	}
	h := fnv.New64a()
	h.Write([]byte(b.URL))
	seconds := 30 + h.Sum64()%7200
	m := server.VideoMetadata{
		ID:         newID("tup_", 12),
		Duration:   onair.Ptr(float64(seconds)),
		Size:       onair.Ptr(int64(seconds) * 2_350_000), // about 18 Mbit/s
		Container:  &container,
		VideoCodec: onair.Ptr("h264"),
		AudioCodec: onair.Ptr("aac"),
	}
	a.inspections.Put(m.ID, m)
	return server.InspectVideoMetadata200JSONResponse(m), nil
}

// CreateVideoTransfer queues an import of an inspected video. Imports stay
// queued: the fake never runs them.
func (a *api) CreateVideoTransfer(_ context.Context, req server.CreateVideoTransferRequestObject) (server.CreateVideoTransferResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.inspections.Has(b.MetadataID) {
		return nil, notFound("Metadata")
	}
	if !a.streams.Has(b.StreamID) {
		return nil, notFound("Stream")
	}
	imp := server.VideoImport{ID: newID("tr_", 12), Status: "queued", Progress: onair.Ptr(0.0), CreatedAt: onair.Ptr(now())}
	a.imports.Put(imp.ID, imp)
	return server.CreateVideoTransfer201JSONResponse(imp), nil
}

// ListQueuedVideoImports lists the imports not yet finished.
func (a *api) ListQueuedVideoImports(context.Context, server.ListQueuedVideoImportsRequestObject) (server.ListQueuedVideoImportsResponseObject, error) {
	queued := slices.DeleteFunc(a.imports.List(nil), func(i server.VideoImport) bool {
		return i.Status != "queued" && i.Status != "processing"
	})
	return server.ListQueuedVideoImports200JSONResponse(queued), nil
}

func (a *api) ListRecordings(context.Context, server.ListRecordingsRequestObject) (server.ListRecordingsResponseObject, error) {
	return server.ListRecordings200JSONResponse(a.recordings.List(nil)), nil
}

// SetSchedulerPlaylist checks that every video is in the stream's library.
// The fake keeps no playlist: no operation the spec knows reads one back.
func (a *api) SetSchedulerPlaylist(_ context.Context, req server.SetSchedulerPlaylistRequestObject) (server.SetSchedulerPlaylistResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return nil, notFound("Stream")
	}
	for _, id := range table.Deref(req.Body).Videos {
		if !a.videos.Has(table.Child(req.StreamID, id)) {
			return nil, invalid("video " + id + " is not in the stream's library")
		}
	}
	return server.SetSchedulerPlaylist204Response{}, nil
}
