package streamdivertest

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

func (a *api) ListDesigns(_ context.Context, r server.ListDesignsRequestObject) (server.ListDesignsResponseObject, error) {
	data, p, err := pageOf(a.designs.List(nil), query(r.Params))
	return server.ListDesigns200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

// GetCurrentTenant answers the one tenant of the fake, whoever calls: an
// application token belongs to its tenant as much as a user's does.
func (a *api) GetCurrentTenant(context.Context, server.GetCurrentTenantRequestObject) (server.GetCurrentTenantResponseObject, error) {
	return server.GetCurrentTenant200JSONResponse{Status: success, Data: a.tenant}, nil
}

func (a *api) GetTenantSettings(context.Context, server.GetTenantSettingsRequestObject) (server.GetTenantSettingsResponseObject, error) {
	return server.GetTenantSettings200JSONResponse{Status: success, Data: sandbox.Clone(a.settings)}, nil
}

// UpdateTenantSettings changes what the body names. A new main design must
// be a design of its type, and becomes the one design of that type that
// says isMain.
func (a *api) UpdateTenantSettings(_ context.Context, r server.UpdateTenantSettingsRequestObject) (server.UpdateTenantSettingsResponseObject, error) {
	b, s := r.Body, sandbox.Clone(a.settings)
	if _, ok := isoDuration(table.Deref(b.DefaultDownloadExpiry)); b.DefaultDownloadExpiry != nil && !ok {
		return nil, badRequest("defaultDownloadExpiry", "not an ISO 8601 duration such as P14D")
	}
	asked := table.Deref(b.MainDesignIDs)
	for _, m := range []struct {
		field string
		typ   server.DesignType
		id    *string
	}{
		{"channel", server.DesignTypeChannel, asked.Channel},
		{"player", server.DesignTypePlayer, asked.Player},
		{"docx", server.DesignTypeDOCXExport, asked.DOCX},
	} {
		if err := a.checkDesign("mainDesignIds."+m.field, string(m.typ), m.typ, m.id); err != nil {
			return nil, err
		}
	}
	table.Patch(&s, b)
	if b.MainDesignIDs != nil {
		main := table.Deref(s.MainDesignIDs)
		mains := []string{table.Deref(main.Channel), table.Deref(main.Player), table.Deref(main.DOCX)}
		for _, d := range a.designs.List(nil) {
			if is := slices.Contains(mains, d.ID); table.Deref(d.IsMain) != is {
				d.IsMain = &is
				a.designs.Put(d.ID, d)
			}
		}
	}
	a.settings = s
	return server.UpdateTenantSettings200JSONResponse{Status: success, Data: sandbox.Clone(s)}, nil
}

var durationPattern = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// isoDuration parses the ISO 8601 durations of weeks, days, hours, minutes
// and seconds; years and months have no fixed length.
func isoDuration(s string) (time.Duration, bool) {
	m := durationPattern.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, err := strconv.Atoi(m[i+1])
			if err != nil || n > 100000 {
				return 0, false
			}
			d += time.Duration(n) * unit
		}
	}
	return d, true
}

// download is a download package and what it holds.
type download struct {
	server.Download
	MediaIDs    []string                    `json:"mediaIds"`
	Transcripts []server.SelectedTranscript `json:"transcripts"`
}

// CreateDownload starts preparing a package of the assets and transcripts;
// it expires when asked or after the tenant's default expiry. Renditions
// are not modelled: each asset's package file is its one rendition.
func (a *api) CreateDownload(_ context.Context, r server.CreateDownloadRequestObject) (server.CreateDownloadResponseObject, error) {
	b := r.Body
	if err := a.checkMedia("selectedMediaIds", table.Deref(b.SelectedMediaIDs)); err != nil {
		return nil, err
	}
	for _, t := range table.Deref(b.SelectedTranscripts) {
		if !a.transcripts.Has(t.ID) {
			return nil, badRequest("selectedTranscripts", "no transcript "+t.ID)
		}
	}
	d := download{
		Download: server.Download{
			ID: uuid.NewString(), Status: server.DownloadStatusPreparing, Title: b.Title, Description: b.Description,
			Expires: b.Expires, Files: list[server.DownloadFile](nil),
		},
		MediaIDs:    table.Deref(b.SelectedMediaIDs),
		Transcripts: table.Deref(b.SelectedTranscripts),
	}
	if d.Expires == nil {
		if ttl, ok := isoDuration(table.Deref(a.settings.DefaultDownloadExpiry)); ok {
			d.Expires = onair.Ptr(a.clock().Add(ttl))
		}
	}
	a.downloads.Put(d.ID, d)
	return server.CreateDownload201JSONResponse{Status: success, Data: d.Download}, nil
}

// GetDownload finishes a package that is being prepared before answering:
// the fake has nothing to pack, so it is ready when anyone looks.
func (a *api) GetDownload(_ context.Context, r server.GetDownloadRequestObject) (server.GetDownloadResponseObject, error) {
	d, err := table.Update(&a.downloads, r.DownloadID, notFound("download"), func(d *download) error {
		if d.Status == server.DownloadStatusPreparing {
			d.Status, d.Files = server.DownloadStatusReady, a.pack(*d)
		}
		return nil
	})
	return server.GetDownload200JSONResponse{Status: success, Data: d.Download}, err
}

// pack lists the files of a package: a rendition per asset and a file per
// transcript, of what still exists.
func (a *api) pack(d download) *[]server.DownloadFile {
	files := []server.DownloadFile{}
	add := func(name string, size int64, mime string) {
		files = append(files, server.DownloadFile{
			Name: &name, Size: &size, MimeType: &mime,
			URL: "https://storage-example.streamdiver.com/" + a.tenant.Shortcode + "/downloads/" + d.ID + "/" + name,
		})
	}
	for _, id := range d.MediaIDs {
		if m, ok := a.media.Get(id); ok {
			r := map[server.MediaType]struct{ suffix, mime string }{
				server.MediaTypeVideo:    {"-1080p.mp4", "video/mp4"},
				server.MediaTypeAudio:    {".m4a", "audio/mp4"},
				server.MediaTypeImage:    {".jpg", "image/jpeg"},
				server.MediaTypeDocument: {".pdf", "application/pdf"},
			}[m.Type]
			add(slug(m.Name)+r.suffix, table.Deref(m.FileSize), r.mime)
		}
	}
	for _, s := range d.Transcripts {
		t, ok := a.transcripts.Get(s.ID)
		m, found := a.media.Get(t.MediaID)
		if !ok || !found {
			continue
		}
		b := t.render(string(s.Format), true)
		mime := map[server.SelectedTranscriptFormat]string{"txt": "text/plain", "srt": "application/x-subrip", "json": "application/json"}[s.Format]
		add(slug(m.Name)+"-"+t.LanguageCode+"."+string(s.Format), int64(len(b)), mime)
	}
	return &files
}

// slug makes a file name of a title: "Keynote 2024" is keynote-2024.
func slug(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(f) == 0 {
		return "file"
	}
	return strings.Join(f, "-")
}

// checkDesign reports a design id, if given, that is no design of type
// typ, which the error calls what.
func (a *api) checkDesign(field, what string, typ server.DesignType, id *string) error {
	if d, ok := a.designs.Get(table.Deref(id)); id != nil && (!ok || d.Type != typ) {
		return badRequest(field, "no "+what+" "+*id)
	}
	return nil
}
