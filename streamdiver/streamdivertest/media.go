package streamdivertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// asset is a media asset and what was extracted from it besides its
// transcripts.
type asset struct {
	server.Media
	Keywords   []map[string]any
	Entities   []map[string]any
	Thumbnails int // how many thumbnails it has had, to name the next
}

// transcript is a transcript of an asset and its timed lines.
type transcript struct {
	server.Transcript
	MediaID string
	Cues    []cue
}

type cue struct {
	Start, End float64 // seconds
	Speaker    string
	Text       string
}

const cdn = "https://cdn.streamdiver.com"

// addAsset stores a new, ready asset with an empty transcript per
// transcription language.
func (a *api) addAsset(name string, typ server.MediaType, channels []string, languages []string) server.Media {
	m := asset{Media: server.Media{
		ID: uuid.NewString(), Name: name, Type: typ, Status: onair.Ptr("ready"),
		Tags: list[string](nil), ChannelIDs: list(channels),
	}}
	m.CreatedAt = a.clock()
	m.UpdatedAt = m.CreatedAt
	base := cdn + "/" + a.tenant.Shortcode + "/" + m.ID
	if typ == server.MediaTypeVideo || typ == server.MediaTypeAudio {
		m.PlaylistURL = onair.Ptr(base + "/playlist.m3u8")
	}
	if typ != server.MediaTypeAudio {
		m.ThumbnailURL, m.Thumbnails = onair.Ptr(base+"/thumbnail.jpg"), 1
	}
	a.media.Put(m.ID, m)
	for _, l := range languages {
		a.addTranscript(m.ID, l)
	}
	return m.Media
}

// addTranscript adds an empty transcript in the language of a
// transcription language code such as "de-v2" or "translate-en-v2", unless
// the asset has one in that language already.
func (a *api) addTranscript(mediaID string, code string) {
	lang := strings.TrimPrefix(code, "translate-")
	if i := strings.LastIndex(lang, "-v"); i > 0 {
		lang = lang[:i]
	}
	for _, t := range a.transcriptsOf(mediaID) {
		if t.LanguageCode == lang {
			return
		}
	}
	id := uuid.NewString()
	a.transcripts.Put(id, transcript{Transcript: server.Transcript{ID: id, LanguageCode: lang}, MediaID: mediaID})
}

func (a *api) transcriptsOf(mediaID string) []transcript {
	return slices.DeleteFunc(a.transcripts.List(nil), func(t transcript) bool { return t.MediaID != mediaID })
}

// mediaTypeOf guesses an asset's type from its file name; video, unless
// the extension says otherwise, as for a video page's URL.
func mediaTypeOf(fileName string) server.MediaType {
	switch strings.ToLower(path.Ext(fileName)) {
	case ".mp3", ".wav", ".m4a", ".aac", ".flac", ".ogg":
		return server.MediaTypeAudio
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff":
		return server.MediaTypeImage
	case ".pdf", ".doc", ".docx", ".ppt", ".pptx", ".txt":
		return server.MediaTypeDocument
	}
	return server.MediaTypeVideo
}

// ListMedia leaves soft-deleted assets out unless the filter asks by status.
func (a *api) ListMedia(_ context.Context, r server.ListMediaRequestObject) (server.ListMediaResponseObject, error) {
	var rows []server.Media
	for _, m := range a.media.List(nil) {
		if table.Deref(m.Status) != "softDeleted" || filters(r.Params.Filter, "status") {
			rows = append(rows, m.Media)
		}
	}
	data, p, bad := pageOf(rows, query(r.Params))
	if bad != nil {
		return server.ListMedia400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	return server.ListMedia200JSONResponse{Status: success, Data: data, Pagination: p}, nil
}

// GetMedia with a channel answers only an asset of that channel.
func (a *api) GetMedia(_ context.Context, r server.GetMediaRequestObject) (server.GetMediaResponseObject, error) {
	m, ok := a.media.Get(r.MediaID)
	if !ok || (r.Params.ChannelID != nil && !slices.Contains(table.Deref(m.ChannelIDs), *r.Params.ChannelID)) {
		return server.GetMedia404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	return server.GetMedia200JSONResponse{Status: success, Data: m.Media}, nil
}

func (a *api) UpdateMedia(_ context.Context, r server.UpdateMediaRequestObject) (server.UpdateMediaResponseObject, error) {
	m, ok := a.media.Get(r.MediaID)
	if !ok {
		return server.UpdateMedia404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	if bad := rename(&m.Name, r.Body.Name); bad != nil {
		return server.UpdateMedia400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	if r.Body.Description != nil {
		m.Description = r.Body.Description
	}
	m.UpdatedAt = a.clock()
	a.media.Put(m.ID, m)
	return server.UpdateMedia200JSONResponse{Status: success, Data: m.Media}, nil
}

func (a *api) DeleteMedia(_ context.Context, r server.DeleteMediaRequestObject) (server.DeleteMediaResponseObject, error) {
	if !a.media.Has(r.MediaID) {
		return server.DeleteMedia404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	a.deleteMedia(r.MediaID, table.Deref(r.Params.HardDelete))
	return server.DeleteMedia204Response{}, nil
}

// BulkDeleteMedia deletes all the assets or, if one is missing, none.
func (a *api) BulkDeleteMedia(_ context.Context, r server.BulkDeleteMediaRequestObject) (server.BulkDeleteMediaResponseObject, error) {
	if id, ok := a.missingMedia(r.Body.IDs); !ok {
		return server.BulkDeleteMedia404JSONResponse{NotFoundJSONResponse: notFound("media asset " + id)}, nil
	}
	for _, id := range r.Body.IDs {
		a.deleteMedia(id, table.Deref(r.Body.HardDelete))
	}
	return server.BulkDeleteMedia204Response{}, nil
}

// deleteMedia deletes an asset softly, keeping it and its channels for a
// recovery, or for good with its transcripts.
func (a *api) deleteMedia(id string, hard bool) {
	if hard {
		a.media.Delete(id)
		for _, t := range a.transcriptsOf(id) {
			a.transcripts.Delete(t.ID)
		}
		return
	}
	m, _ := a.media.Get(id)
	m.Status, m.UpdatedAt = onair.Ptr("softDeleted"), a.clock()
	a.media.Put(id, m)
}

// missingMedia returns the first of ids that is no asset.
func (a *api) missingMedia(ids []string) (string, bool) {
	for _, id := range ids {
		if !a.media.Has(id) {
			return id, false
		}
	}
	return "", true
}

// RecoverMedia answers an asset that is not deleted as it is: there is
// nothing to recover, and the state the client wants holds.
func (a *api) RecoverMedia(_ context.Context, r server.RecoverMediaRequestObject) (server.RecoverMediaResponseObject, error) {
	m, ok := a.media.Get(r.MediaID)
	if !ok {
		return server.RecoverMedia404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	if table.Deref(m.Status) == "softDeleted" {
		m.Status, m.UpdatedAt = onair.Ptr("ready"), a.clock()
		a.media.Put(m.ID, m)
	}
	return server.RecoverMedia200JSONResponse{Status: success, Data: m.Media}, nil
}

// ListMediaTags answers every tag of the assets, and the tags all of them
// have, each sorted.
func (a *api) ListMediaTags(_ context.Context, r server.ListMediaTagsRequestObject) (server.ListMediaTagsResponseObject, error) {
	if id, ok := a.missingMedia(r.Params.IDs); !ok {
		return server.ListMediaTags400JSONResponse{BadRequestJSONResponse: badRequest("ids", "no media asset "+id)}, nil
	}
	tags := server.MediaTags{Tags: []string{}, CommonTags: []string{}}
	for i, id := range r.Params.IDs {
		m, _ := a.media.Get(id)
		own := table.Deref(m.Tags)
		for _, t := range own {
			if !slices.Contains(tags.Tags, t) {
				tags.Tags = append(tags.Tags, t)
			}
		}
		if i == 0 {
			tags.CommonTags = append(tags.CommonTags, own...)
		}
		tags.CommonTags = slices.DeleteFunc(tags.CommonTags, func(t string) bool { return !slices.Contains(own, t) })
	}
	slices.Sort(tags.Tags)
	slices.Sort(tags.CommonTags)
	return server.ListMediaTags200JSONResponse{Status: success, Data: tags}, nil
}

// AssignMediaTags adds the tags to every asset that lacks them, to all or,
// if an asset is missing, to none.
func (a *api) AssignMediaTags(_ context.Context, r server.AssignMediaTagsRequestObject) (server.AssignMediaTagsResponseObject, error) {
	if id, ok := a.missingMedia(r.Body.IDs); !ok {
		return server.AssignMediaTags404JSONResponse{NotFoundJSONResponse: notFound("media asset " + id)}, nil
	}
	for _, id := range r.Body.IDs {
		m, _ := a.media.Get(id)
		tags := table.Deref(m.Tags)
		for _, t := range r.Body.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		m.Tags, m.UpdatedAt = list(tags), a.clock()
		a.media.Put(id, m)
	}
	return server.AssignMediaTags204Response{}, nil
}

func (a *api) GetMediaThumbnail(_ context.Context, r server.GetMediaThumbnailRequestObject) (server.GetMediaThumbnailResponseObject, error) {
	m, ok := a.media.Get(r.MediaID)
	if !ok {
		return server.GetMediaThumbnail404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	if m.ThumbnailURL == nil {
		return server.GetMediaThumbnail404JSONResponse{NotFoundJSONResponse: notFound("thumbnail")}, nil
	}
	return server.GetMediaThumbnail200JSONResponse{Status: success, Data: server.Thumbnail{URL: *m.ThumbnailURL}}, nil
}

// UpdateMediaThumbnail takes the form's "file" part; the image goes to a
// new URL, as a CDN-cached one would.
func (a *api) UpdateMediaThumbnail(_ context.Context, r server.UpdateMediaThumbnailRequestObject) (server.UpdateMediaThumbnailResponseObject, error) {
	image, err := formFile(r.Body, "file", 10<<20)
	if err != nil {
		return server.UpdateMediaThumbnail400JSONResponse{BadRequestJSONResponse: badRequest("file", err.Error())}, nil
	}
	m, ok := a.media.Get(r.MediaID)
	if !ok {
		return server.UpdateMediaThumbnail404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	ext := ".jpg"
	if http.DetectContentType(image) == "image/png" {
		ext = ".png"
	}
	m.Thumbnails++
	m.ThumbnailURL = onair.Ptr(fmt.Sprintf("%s/%s/%s/thumbnail-%d%s", cdn, a.tenant.Shortcode, m.ID, m.Thumbnails, ext))
	m.UpdatedAt = a.clock()
	a.media.Put(m.ID, m)
	return server.UpdateMediaThumbnail200JSONResponse{Status: success, Data: server.Thumbnail{URL: *m.ThumbnailURL}}, nil
}

// formFile reads the file of the form field name, which must hold 1 to max
// bytes.
func formFile(form *multipart.Reader, name string, max int64) ([]byte, error) {
	for form != nil {
		p, err := form.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if p.FormName() != name {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, max+1))
		switch {
		case err != nil:
			return nil, err
		case len(b) == 0:
			return nil, errors.New(name + " is empty")
		case int64(len(b)) > max:
			return nil, fmt.Errorf("%s is larger than %d bytes", name, max)
		}
		return b, nil
	}
	return nil, errors.New(name + " is required")
}

func (a *api) GetMediaMetadata(_ context.Context, r server.GetMediaMetadataRequestObject) (server.GetMediaMetadataResponseObject, error) {
	m, ok := a.media.Get(r.MediaID)
	if !ok {
		return server.GetMediaMetadata404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	var (
		transcripts []server.Transcript
		names       []string
		speakers    = []map[string]any{}
	)
	for _, t := range a.transcriptsOf(m.ID) {
		transcripts = append(transcripts, t.Transcript)
		for _, c := range t.Cues {
			if c.Speaker != "" && !slices.Contains(names, c.Speaker) {
				names = append(names, c.Speaker)
				speakers = append(speakers, map[string]any{"name": c.Speaker})
			}
		}
	}
	return server.GetMediaMetadata200JSONResponse{Status: success, Data: server.MediaMetadata{
		Transcripts: list(transcripts),
		Speakers:    &speakers,
		Keywords:    list(m.Keywords),
		Entities:    list(m.Entities),
	}}, nil
}

// RequestMediaMetadata adds a transcript per new language at once, empty:
// the fake cannot transcribe. Extracting again changes nothing.
func (a *api) RequestMediaMetadata(_ context.Context, r server.RequestMediaMetadataRequestObject) (server.RequestMediaMetadataResponseObject, error) {
	if !a.media.Has(r.MediaID) {
		return server.RequestMediaMetadata404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	codes := table.Deref(r.Body.TranscriptLanguageCodes)
	if bad := a.checkLanguages("transcriptLanguageCodes", codes...); bad != nil {
		return server.RequestMediaMetadata400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	for _, c := range codes {
		a.addTranscript(r.MediaID, c)
	}
	return server.RequestMediaMetadata204Response{}, nil
}

func (a *api) ListMediaTranscripts(_ context.Context, r server.ListMediaTranscriptsRequestObject) (server.ListMediaTranscriptsResponseObject, error) {
	if !a.media.Has(r.MediaID) {
		return server.ListMediaTranscripts404JSONResponse{NotFoundJSONResponse: notFound("media asset")}, nil
	}
	data := []server.Transcript{}
	for _, t := range a.transcriptsOf(r.MediaID) {
		data = append(data, t.Transcript)
	}
	return server.ListMediaTranscripts200JSONResponse{Status: success, Data: data}, nil
}

// DownloadMediaTranscript answers a transcript of the asset, not of another.
func (a *api) DownloadMediaTranscript(_ context.Context, r server.DownloadMediaTranscriptRequestObject) (server.DownloadMediaTranscriptResponseObject, error) {
	t, ok := a.transcripts.Get(r.TranscriptID)
	if !ok || t.MediaID != r.MediaID || !a.media.Has(r.MediaID) {
		return server.DownloadMediaTranscript404JSONResponse{NotFoundJSONResponse: notFound("transcript")}, nil
	}
	b, err := t.render(string(r.Params.TranscriptDownloadType), !table.Deref(r.Params.OmitSpeakerLabels))
	if err != nil {
		return server.DownloadMediaTranscript400JSONResponse{BadRequestJSONResponse: badRequest("transcriptDownloadType", err.Error())}, nil
	}
	return server.DownloadMediaTranscript200ApplicationOctetStreamResponse{Body: bytes.NewReader(b), ContentLength: int64(len(b))}, nil
}
