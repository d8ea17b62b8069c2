package streamdivertest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// importJob is an import and what its files become: the channel of the
// new assets and each file's transcription language ("" for none).
type importJob struct {
	server.Import
	Channel   string
	Languages []string
}

func (a *api) ListUploads(_ context.Context, r server.ListUploadsRequestObject) (server.ListUploadsResponseObject, error) {
	data, p, bad := pageOf(a.uploads.List(nil), query(r.Params))
	if bad != nil {
		return server.ListUploads400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	return server.ListUploads200JSONResponse{Status: success, Data: data, Pagination: p}, nil
}

// CreateUpload answers what is needed to send the file to storage; the
// file itself never reaches the fake, so completing the upload is enough.
func (a *api) CreateUpload(_ context.Context, r server.CreateUploadRequestObject) (server.CreateUploadResponseObject, error) {
	b := r.Body
	if bad := blank("fileName", b.FileName); bad != nil {
		return server.CreateUpload400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	if bad := a.checkLanguages("transcriptLanguageCodes", table.Deref(b.TranscriptLanguageCodes)...); bad != nil {
		return server.CreateUpload400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	typ := server.UploadType(server.UploadTypeMultipart)
	if b.Type != nil {
		typ = server.UploadType(*b.Type)
	}
	u := server.Upload{
		ID:                      uuid.NewString(),
		Status:                  "created",
		FileName:                b.FileName,
		Type:                    &typ,
		TranscriptLanguageCodes: list(table.Deref(b.TranscriptLanguageCodes)),
		CreatedAt:               a.clock(),
	}
	u.Input = a.uploadInput(u.ID, u.FileName, typ)
	a.uploads.Put(u.ID, u)
	return server.CreateUpload201JSONResponse{Status: success, Data: u}, nil
}

// uploadInput is where the file of an upload goes: a pre-signed URL for a
// put upload, the bucket and temporary credentials for a multipart one.
func (a *api) uploadInput(id string, fileName string, typ server.UploadType) *server.UploadInput {
	const storage = "https://storage-example.streamdiver.com"
	key := "uploads/" + id + "/" + url.PathEscape(fileName)
	if typ == server.UploadTypePut {
		return &server.UploadInput{URL: onair.Ptr(storage + "/" + a.tenant.Shortcode + "/" + key +
			"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=" + strings.ToLower(rand.Text()))}
	}
	return &server.UploadInput{
		Endpoint:        onair.Ptr(storage),
		Bucket:          onair.Ptr(a.tenant.Shortcode),
		Key:             &key,
		AccessKeyID:     onair.Ptr("ASIA" + rand.Text()[:16]),
		SecretAccessKey: onair.Ptr(rand.Text() + rand.Text()[:14]),
		SessionToken:    onair.Ptr(rand.Text() + rand.Text()),
	}
}

func (a *api) GetUpload(_ context.Context, r server.GetUploadRequestObject) (server.GetUploadResponseObject, error) {
	u, ok := a.uploads.Get(r.UploadID)
	if !ok {
		return server.GetUpload404JSONResponse{NotFoundJSONResponse: notFound("upload")}, nil
	}
	return server.GetUpload200JSONResponse{Status: success, Data: u}, nil
}

// DeleteUpload removes an upload in any state. Streamdiver documents the
// deletion of completed uploads; the fake also lets a pending one go
// rather than answer the assumed 409, since nothing else would remove it.
func (a *api) DeleteUpload(_ context.Context, r server.DeleteUploadRequestObject) (server.DeleteUploadResponseObject, error) {
	if !a.uploads.Delete(r.UploadID) {
		return server.DeleteUpload404JSONResponse{NotFoundJSONResponse: notFound("upload")}, nil
	}
	return server.DeleteUpload204Response{}, nil
}

func (a *api) CancelUpload(_ context.Context, r server.CancelUploadRequestObject) (server.CancelUploadResponseObject, error) {
	u, ok := a.uploads.Get(r.UploadID)
	if !ok {
		return server.CancelUpload404JSONResponse{NotFoundJSONResponse: notFound("upload")}, nil
	}
	if u.Status != "created" {
		return server.CancelUpload409JSONResponse{ConflictJSONResponse: conflict("upload is already " + u.Status)}, nil
	}
	u.Status, u.Input = "cancelled", nil
	a.uploads.Put(u.ID, u)
	return server.CancelUpload200JSONResponse{Status: success, Data: u}, nil
}

// CompleteUpload turns the upload into a media asset, ready at once: the
// fake has no transcoding to wait for.
func (a *api) CompleteUpload(_ context.Context, r server.CompleteUploadRequestObject) (server.CompleteUploadResponseObject, error) {
	u, ok := a.uploads.Get(r.UploadID)
	if !ok {
		return server.CompleteUpload404JSONResponse{NotFoundJSONResponse: notFound("upload")}, nil
	}
	if u.Status != "created" {
		return server.CompleteUpload409JSONResponse{ConflictJSONResponse: conflict("upload is already " + u.Status)}, nil
	}
	channel, bad := a.targetChannel("channelId", r.Body != nil && r.Body.ChannelID != nil, table.Deref(table.Deref(r.Body).ChannelID))
	if bad != nil {
		return server.CompleteUpload400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	name := strings.TrimSuffix(u.FileName, path.Ext(u.FileName))
	dups := a.duplicates(name)
	m := a.addAsset(name, mediaTypeOf(u.FileName), channel, table.Deref(u.TranscriptLanguageCodes))
	u.Status, u.Input, u.MediaID = "completed", nil, &m.ID
	if dups != nil {
		u.DuplicateMediaIDs = dups
	}
	a.uploads.Put(u.ID, u)
	return server.CompleteUpload200JSONResponse{Status: success, Data: u}, nil
}

// targetChannel is the channel new assets go to: the given one, which must
// exist, or else the tenant's default (its user channel).
func (a *api) targetChannel(field string, given bool, id string) ([]string, *invalid) {
	if given {
		if !a.channels.Has(id) {
			return nil, &invalid{field, "no channel " + id}
		}
		return []string{id}, nil
	}
	for _, c := range a.channels.List(nil) {
		if c.Type == server.ChannelTypeUser {
			return []string{c.ID}, nil
		}
	}
	return []string{}, nil
}

// duplicates lists the assets a new one named name duplicates, when the
// tenant checks for duplicates (nil otherwise). The fake knows no file
// contents, so an asset of the same name counts.
func (a *api) duplicates(name string) *[]string {
	if !table.Deref(a.settings.DuplicateCheckEnabled) {
		return nil
	}
	ids := []string{}
	for _, m := range a.media.List(nil) {
		if strings.EqualFold(m.Name, name) && table.Deref(m.Status) != "softDeleted" {
			ids = append(ids, m.ID)
		}
	}
	return &ids
}

// checkLanguages reports a transcription language the tenant does not have.
func (a *api) checkLanguages(field string, codes ...string) *invalid {
	for _, c := range codes {
		if c != "" && !slices.Contains(table.Deref(a.settings.TranscriptLanguageCodes), c) {
			return &invalid{field, fmt.Sprintf("%q is not a transcription language of the tenant", c)}
		}
	}
	return nil
}

func (a *api) CreateImport(_ context.Context, r server.CreateImportRequestObject) (server.CreateImportResponseObject, error) {
	b := r.Body
	channel, bad := a.targetChannel("channel", b.Channel != nil, table.Deref(b.Channel))
	if bad != nil {
		return server.CreateImport400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
	}
	job := importJob{Import: server.Import{ID: onair.Ptr(uuid.NewString()), Status: "Pending", Files: []server.ImportFile{}}}
	if len(channel) > 0 {
		job.Channel = channel[0]
	}
	if len(b.Files) == 0 {
		return server.CreateImport400JSONResponse{BadRequestJSONResponse: badRequest("files", "files must not be empty")}, nil
	}
	for i, f := range b.Files {
		field := fmt.Sprintf("files[%d]", i)
		if bad := a.checkLanguages(field+".transcriptionLanguageCode", table.Deref(f.TranscriptionLanguageCode)); bad != nil {
			return server.CreateImport400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
		}
		if bad := blank(field+".url", f.URL); bad != nil {
			return server.CreateImport400JSONResponse{BadRequestJSONResponse: bad.body()}, nil
		}
		job.Files = append(job.Files, server.ImportFile{
			URL: &f.URL, Name: f.Name, Filename: f.Filename, Status: "Pending", ErrorMessages: list[string](nil),
		})
		job.Languages = append(job.Languages, table.Deref(f.TranscriptionLanguageCode))
	}
	a.imports.Put(*job.ID, job)
	return server.CreateImport201JSONResponse{Status: success, Data: job.Import}, nil
}

// GetImport finishes a pending import before answering: the fake fetches
// nothing, so by the time anyone looks, every file with an HTTP(S) URL has
// become an upload and a media asset.
func (a *api) GetImport(_ context.Context, r server.GetImportRequestObject) (server.GetImportResponseObject, error) {
	job, ok := a.imports.Get(r.ImportID)
	if !ok {
		return server.GetImport404JSONResponse{NotFoundJSONResponse: notFound("import")}, nil
	}
	if job.Status == "Pending" {
		a.runImport(&job)
		a.imports.Put(r.ImportID, job)
	}
	return server.GetImport200JSONResponse{Status: success, Data: job.Import}, nil
}

func (a *api) runImport(job *importJob) {
	job.Status = "Success"
	for i := range job.Files {
		f := &job.Files[i]
		u, err := url.Parse(table.Deref(f.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.Status, f.ErrorMessages = "Failed", &[]string{"the URL is not a public HTTP(S) URL"}
			job.Status = "Failed"
			continue
		}
		fileName := cmpOr(table.Deref(f.Filename), path.Base(u.Path), "import")
		name := cmpOr(table.Deref(f.Name), strings.TrimSuffix(fileName, path.Ext(fileName)))
		var langs []string
		if l := job.Languages[i]; l != "" {
			langs = []string{l}
		}
		m := a.addAsset(name, mediaTypeOf(fileName), []string{job.Channel}, langs)
		up := server.Upload{
			ID: uuid.NewString(), Status: "completed", FileName: fileName, Type: onair.Ptr(server.UploadTypePut),
			TranscriptLanguageCodes: list(langs), MediaID: &m.ID, CreatedAt: a.clock(),
		}
		a.uploads.Put(up.ID, up)
		f.Status, f.UploadID = "Success", &up.ID
	}
}

func (a *api) CancelImport(_ context.Context, r server.CancelImportRequestObject) (server.CancelImportResponseObject, error) {
	job, ok := a.imports.Get(r.ImportID)
	if !ok {
		return server.CancelImport404JSONResponse{NotFoundJSONResponse: notFound("import")}, nil
	}
	if job.Status != "Pending" {
		return server.CancelImport409JSONResponse{ConflictJSONResponse: conflict("import is already finished: " + job.Status)}, nil
	}
	job.Status = "Cancelled"
	for i := range job.Files {
		job.Files[i].Status = "Cancelled"
	}
	a.imports.Put(r.ImportID, job)
	return server.CancelImport200JSONResponse{Status: success, Data: job.Import}, nil
}

// cmpOr is cmp.Or for strings that may be only "." or "/", as path.Base
// returns for an empty path.
func cmpOr(s ...string) string {
	for _, v := range s {
		if v != "" && v != "." && v != "/" {
			return v
		}
	}
	return ""
}
