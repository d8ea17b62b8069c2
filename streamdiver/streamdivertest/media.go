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
	Keywords   []map[string]any `json:"keywords,omitempty"`
	Entities   []map[string]any `json:"entities,omitempty"`
	Thumbnails int              `json:"-"` // how many thumbnails it has had, to name the next
}

// transcript is a transcript of an asset and its timed lines.
type transcript struct {
	server.Transcript
	MediaID string `json:"mediaId"`
	Cues    []cue  `json:"cues"`
}

type cue struct {
	Start   float64 `json:"start"` // seconds
	End     float64 `json:"end"`
	Speaker string  `json:"speaker,omitempty"`
	Text    string  `json:"text"`
}

// live reports whether the asset is not (softly) deleted.
func (m asset) live() bool { return table.Deref(m.Status) != "softDeleted" }

const cdn = "https://cdn.streamdiver.com"

// addAsset stores a new, ready asset with an empty transcript per
// transcription language.
func (a *api) addAsset(name string, typ server.MediaType, channels []string, languages []string) server.Media {
	now := a.clock()
	m := a.publish(asset{Media: server.Media{
		ID: uuid.NewString(), Name: name, Type: typ, Status: onair.Ptr("ready"),
		Tags: list[string](nil), ChannelIDs: list(channels), CreatedAt: now, UpdatedAt: now,
	}})
	for _, l := range languages {
		a.addTranscript(m.ID, l)
	}
	a.emit(server.WebhookEventMediaCreated, map[string]any{"media": m.Media})
	return m.Media
}

// publish stores an asset with the URLs of what the CDN serves of its
// type: a playlist to play, a first thumbnail to show.
func (a *api) publish(m asset) asset {
	base := cdn + "/" + a.tenant.Shortcode + "/" + m.ID
	if m.Type == server.MediaTypeVideo || m.Type == server.MediaTypeAudio {
		m.PlaylistURL = onair.Ptr(base + "/playlist.m3u8")
	}
	if m.Type != server.MediaTypeAudio {
		m.ThumbnailURL, m.Thumbnails = onair.Ptr(base+"/thumbnail.jpg"), 1
	}
	a.media.Put(m.ID, m)
	return m
}

// addTranscript adds an empty transcript in the language of a
// transcription language code such as "de-v2" or "translate-en-v2", unless
// the asset has one in that language already.
func (a *api) addTranscript(mediaID string, code string) {
	lang := strings.TrimPrefix(code, "translate-")
	if i := strings.LastIndex(lang, "-v"); i > 0 {
		lang = lang[:i]
	}
	if slices.ContainsFunc(a.transcriptsOf(mediaID), func(t transcript) bool { return t.LanguageCode == lang }) {
		return
	}
	id := uuid.NewString()
	a.transcripts.Put(id, transcript{Transcript: server.Transcript{ID: id, LanguageCode: lang}, MediaID: mediaID})
}

func (a *api) transcriptsOf(mediaID string) []transcript {
	return a.transcripts.List(func(t transcript) bool { return t.MediaID == mediaID })
}

// transcriptList lists the transcripts of an asset as the API shows them.
func (a *api) transcriptList(mediaID string) []server.Transcript {
	out := []server.Transcript{}
	for _, t := range a.transcriptsOf(mediaID) {
		out = append(out, t.Transcript)
	}
	return out
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
		if m.live() || strings.Contains("+"+table.Deref(r.Params.Filter), "+status=") {
			rows = append(rows, m.Media)
		}
	}
	data, p, err := pageOf(rows, query(r.Params))
	return server.ListMedia200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

// GetMedia with a channel answers only an asset of that channel.
func (a *api) GetMedia(_ context.Context, r server.GetMediaRequestObject) (server.GetMediaResponseObject, error) {
	m, ok := a.media.Get(r.MediaID)
	if !ok || (r.Params.ChannelID != nil && !slices.Contains(table.Deref(m.ChannelIDs), *r.Params.ChannelID)) {
		return nil, notFound("media asset")
	}
	return server.GetMedia200JSONResponse{Status: success, Data: m.Media}, nil
}

func (a *api) UpdateMedia(_ context.Context, r server.UpdateMediaRequestObject) (server.UpdateMediaResponseObject, error) {
	m, err := a.changeMedia(r.MediaID, func(m *asset) error {
		return patch(m, r.Body, blankIfGiven("name", r.Body.Name))
	})
	return server.UpdateMedia200JSONResponse{Status: success, Data: m.Media}, err
}

// changeMedia updates an asset, as table.Update does, and its updatedAt,
// and emits media.updated with what changed.
func (a *api) changeMedia(id string, change func(*asset) error) (asset, error) {
	before, _ := a.media.Get(id)
	m, err := table.Update(&a.media, id, notFound("media asset"), func(m *asset) error {
		m.UpdatedAt = a.clock()
		return change(m)
	})
	if err == nil {
		a.mediaChanged(before.Media, m.Media)
	}
	return m, err
}

func (a *api) DeleteMedia(_ context.Context, r server.DeleteMediaRequestObject) (server.DeleteMediaResponseObject, error) {
	if !a.media.Has(r.MediaID) {
		return nil, notFound("media asset")
	}
	a.deleteMedia(r.MediaID, table.Deref(r.Params.HardDelete))
	return server.DeleteMedia204Response{}, nil
}

// BulkDeleteMedia deletes all the assets or, if one is missing, none.
func (a *api) BulkDeleteMedia(_ context.Context, r server.BulkDeleteMediaRequestObject) (server.BulkDeleteMediaResponseObject, error) {
	if id, ok := missing(&a.media, r.Body.IDs); ok {
		return nil, notFound("media asset " + id)
	}
	for _, id := range r.Body.IDs {
		a.deleteMedia(id, table.Deref(r.Body.HardDelete))
	}
	return server.BulkDeleteMedia204Response{}, nil
}

// deleteMedia deletes an asset softly, keeping it and its channels for a
// recovery, or for good with its transcripts.
func (a *api) deleteMedia(id string, hard bool) {
	if m, ok := a.media.Get(id); hard || (ok && m.live()) {
		a.emit(server.WebhookEventMediaDeleted, map[string]any{"mediaId": id, "permanent": hard})
	}
	if hard {
		a.media.Delete(id)
		for _, t := range a.transcriptsOf(id) {
			a.transcripts.Delete(t.ID)
		}
		return
	}
	table.Update(&a.media, id, notFound("media asset"), func(m *asset) error {
		m.Status, m.UpdatedAt = onair.Ptr("softDeleted"), a.clock()
		return nil
	})
}

// missing returns the first of ids that t has no record under.
func missing[T any](t *table.Table[T], ids []string) (string, bool) {
	i := slices.IndexFunc(ids, func(id string) bool { return !t.Has(id) })
	if i < 0 {
		return "", false
	}
	return ids[i], true
}

// checkMedia reports a media asset id that is no asset.
func (a *api) checkMedia(field string, ids []string) error {
	if id, ok := missing(&a.media, ids); ok {
		return badRequest(field, "no media asset "+id)
	}
	return nil
}

// RecoverMedia answers an asset that is not deleted as it is: there is
// nothing to recover, and the state the client wants holds.
func (a *api) RecoverMedia(_ context.Context, r server.RecoverMediaRequestObject) (server.RecoverMediaResponseObject, error) {
	restored := false
	m, err := table.Update(&a.media, r.MediaID, notFound("media asset"), func(m *asset) error {
		if !m.live() {
			m.Status, m.UpdatedAt, restored = onair.Ptr("ready"), a.clock(), true
		}
		return nil
	})
	if restored {
		a.emit(server.WebhookEventMediaRestored, map[string]any{"media": m.Media})
	}
	return server.RecoverMedia200JSONResponse{Status: success, Data: m.Media}, err
}

// ListMediaTags answers every tag of the assets, and the tags all of them
// have, each sorted.
func (a *api) ListMediaTags(_ context.Context, r server.ListMediaTagsRequestObject) (server.ListMediaTagsResponseObject, error) {
	if err := a.checkMedia("ids", r.Params.IDs); err != nil {
		return nil, err
	}
	tags := server.MediaTags{Tags: []string{}, CommonTags: []string{}}
	for i, id := range r.Params.IDs {
		m, _ := a.media.Get(id)
		own := table.Deref(m.Tags)
		tags.Tags = union(tags.Tags, own)
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
	if id, ok := missing(&a.media, r.Body.IDs); ok {
		return nil, notFound("media asset " + id)
	}
	for _, id := range r.Body.IDs {
		a.changeMedia(id, func(m *asset) error {
			m.Tags = list(union(table.Deref(m.Tags), r.Body.Tags))
			return nil
		})
	}
	return server.AssignMediaTags204Response{}, nil
}

// union adds to list what it lacks of more, in their order.
func union(list, more []string) []string {
	for _, s := range more {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

func (a *api) GetMediaThumbnail(_ context.Context, r server.GetMediaThumbnailRequestObject) (server.GetMediaThumbnailResponseObject, error) {
	m, err := table.Find(&a.media, r.MediaID, notFound("media asset"))
	if err == nil && m.ThumbnailURL == nil {
		err = notFound("thumbnail")
	}
	return server.GetMediaThumbnail200JSONResponse{Status: success, Data: server.Thumbnail{URL: table.Deref(m.ThumbnailURL)}}, err
}

// UpdateMediaThumbnail takes the form's "file" part; the image goes to a
// new URL, as a CDN-cached one would.
func (a *api) UpdateMediaThumbnail(_ context.Context, r server.UpdateMediaThumbnailRequestObject) (server.UpdateMediaThumbnailResponseObject, error) {
	image, err := formFile(r.Body, "file", 10<<20)
	if err != nil {
		return nil, badRequest("file", err.Error())
	}
	ext := ".jpg"
	if http.DetectContentType(image) == "image/png" {
		ext = ".png"
	}
	m, err := a.changeMedia(r.MediaID, func(m *asset) error {
		m.Thumbnails++
		m.ThumbnailURL = onair.Ptr(fmt.Sprintf("%s/%s/%s/thumbnail-%d%s", cdn, a.tenant.Shortcode, m.ID, m.Thumbnails, ext))
		return nil
	})
	return server.UpdateMediaThumbnail200JSONResponse{Status: success, Data: server.Thumbnail{URL: table.Deref(m.ThumbnailURL)}}, err
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
	m, err := table.Find(&a.media, r.MediaID, notFound("media asset"))
	if err != nil {
		return nil, err
	}
	speakers := []map[string]any{}
	for _, s := range a.searchable(m)[server.SearchFieldSpeakers] {
		speakers = append(speakers, map[string]any{"name": s})
	}
	return server.GetMediaMetadata200JSONResponse{Status: success, Data: server.MediaMetadata{
		Transcripts: list(a.transcriptList(m.ID)),
		Speakers:    &speakers,
		Keywords:    list(m.Keywords),
		Entities:    list(m.Entities),
	}}, nil
}

// RequestMediaMetadata adds a transcript per new language at once, empty:
// the fake cannot transcribe. Extracting again changes nothing.
func (a *api) RequestMediaMetadata(_ context.Context, r server.RequestMediaMetadataRequestObject) (server.RequestMediaMetadataResponseObject, error) {
	if !a.media.Has(r.MediaID) {
		return nil, notFound("media asset")
	}
	codes := table.Deref(r.Body.TranscriptLanguageCodes)
	if err := a.checkLanguages("transcriptLanguageCodes", codes...); err != nil {
		return nil, err
	}
	for _, c := range codes {
		a.addTranscript(r.MediaID, c)
	}
	return server.RequestMediaMetadata204Response{}, nil
}

func (a *api) ListMediaTranscripts(_ context.Context, r server.ListMediaTranscriptsRequestObject) (server.ListMediaTranscriptsResponseObject, error) {
	if !a.media.Has(r.MediaID) {
		return nil, notFound("media asset")
	}
	return server.ListMediaTranscripts200JSONResponse{Status: success, Data: a.transcriptList(r.MediaID)}, nil
}

// DownloadMediaTranscript answers a transcript of the asset, not of another.
func (a *api) DownloadMediaTranscript(_ context.Context, r server.DownloadMediaTranscriptRequestObject) (server.DownloadMediaTranscriptResponseObject, error) {
	t, ok := a.transcripts.Get(r.TranscriptID)
	if !ok || t.MediaID != r.MediaID || !a.media.Has(r.MediaID) {
		return nil, notFound("transcript")
	}
	b := t.render(string(r.Params.TranscriptDownloadType), !table.Deref(r.Params.OmitSpeakerLabels))
	return server.DownloadMediaTranscript200ApplicationOctetStreamResponse{Body: bytes.NewReader(b), ContentLength: int64(len(b))}, nil
}
