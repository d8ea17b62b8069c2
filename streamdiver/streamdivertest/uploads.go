package streamdivertest

import (
	"cmp"
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
	Channel   string   `json:"channel"`
	Languages []string `json:"languages"`
}

func (a *api) ListUploads(_ context.Context, r server.ListUploadsRequestObject) (server.ListUploadsResponseObject, error) {
	data, p, err := pageOf(a.uploads.List(nil), query(r.Params))
	return server.ListUploads200JSONResponse{Status: success, Data: data, Pagination: p}, err
}

// CreateUpload answers what is needed to send the file to storage; the
// file itself never reaches the fake, so completing the upload is enough.
func (a *api) CreateUpload(_ context.Context, r server.CreateUploadRequestObject) (server.CreateUploadResponseObject, error) {
	b := r.Body
	if err := cmp.Or(blank("fileName", b.FileName), a.checkLanguages("transcriptLanguageCodes", table.Deref(b.TranscriptLanguageCodes)...)); err != nil {
		return nil, err
	}
	typ := cmp.Or(table.Deref(b.Type), server.UploadTypeMultipart)
	u := server.Upload{
		ID: uuid.NewString(), Status: "created", FileName: b.FileName, Type: &typ,
		TranscriptLanguageCodes: list(table.Deref(b.TranscriptLanguageCodes)), CreatedAt: a.clock(),
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
	u, err := table.Find(&a.uploads, r.UploadID, notFound("upload"))
	return server.GetUpload200JSONResponse{Status: success, Data: u}, err
}

// DeleteUpload removes an upload in any state. Streamdiver documents the
// deletion of completed uploads; the fake also lets a pending one go
// rather than answer the assumed 409, since nothing else would remove it.
func (a *api) DeleteUpload(_ context.Context, r server.DeleteUploadRequestObject) (server.DeleteUploadResponseObject, error) {
	if !a.uploads.Delete(r.UploadID) {
		return nil, notFound("upload")
	}
	return server.DeleteUpload204Response{}, nil
}

func (a *api) CancelUpload(_ context.Context, r server.CancelUploadRequestObject) (server.CancelUploadResponseObject, error) {
	u, err := table.Update(&a.uploads, r.UploadID, notFound("upload"), func(u *server.Upload) error {
		if err := pending(u); err != nil {
			return err
		}
		u.Status, u.Input = "cancelled", nil
		return nil
	})
	return server.CancelUpload200JSONResponse{Status: success, Data: u}, err
}

// CompleteUpload turns the upload into a media asset, ready at once: the
// fake has no transcoding to wait for.
func (a *api) CompleteUpload(_ context.Context, r server.CompleteUploadRequestObject) (server.CompleteUploadResponseObject, error) {
	u, err := table.Update(&a.uploads, r.UploadID, notFound("upload"), func(u *server.Upload) error {
		if err := pending(u); err != nil {
			return err
		}
		channel, err := a.targetChannel("channelId", table.Deref(r.Body).ChannelID)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(u.FileName, path.Ext(u.FileName))
		u.DuplicateMediaIDs = cmp.Or(a.duplicates(name), u.DuplicateMediaIDs)
		m := a.addAsset(name, mediaTypeOf(u.FileName), channel, table.Deref(u.TranscriptLanguageCodes))
		u.Status, u.Input, u.MediaID = "completed", nil, &m.ID
		return nil
	})
	return server.CompleteUpload200JSONResponse{Status: success, Data: u}, err
}

// pending refuses to finish an upload that is not waiting for its file.
func pending(u *server.Upload) error {
	if u.Status != "created" {
		return conflict("upload is already " + u.Status)
	}
	return nil
}

// targetChannel is the channel new assets go to: the given one, which must
// exist, or else the tenant's default (its user channel).
func (a *api) targetChannel(field string, id *string) ([]string, error) {
	if id != nil {
		return []string{*id}, a.checkChannels(field, []string{*id})
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
		if strings.EqualFold(m.Name, name) && m.live() {
			ids = append(ids, m.ID)
		}
	}
	return &ids
}

// checkLanguages reports a transcription language the tenant does not have.
func (a *api) checkLanguages(field string, codes ...string) error {
	for _, c := range codes {
		if c != "" && !slices.Contains(table.Deref(a.settings.TranscriptLanguageCodes), c) {
			return badRequest(field, fmt.Sprintf("%q is not a transcription language of the tenant", c))
		}
	}
	return nil
}

func (a *api) CreateImport(_ context.Context, r server.CreateImportRequestObject) (server.CreateImportResponseObject, error) {
	b := r.Body
	channel, err := a.targetChannel("channel", b.Channel)
	if err != nil {
		return nil, err
	}
	job := importJob{Import: server.Import{ID: onair.Ptr(uuid.NewString()), Status: "Pending", Files: []server.ImportFile{}}}
	if len(channel) > 0 {
		job.Channel = channel[0]
	}
	for i, f := range b.Files {
		field := fmt.Sprintf("files[%d]", i)
		if err := cmp.Or(a.checkLanguages(field+".transcriptionLanguageCode", table.Deref(f.TranscriptionLanguageCode)), blank(field+".url", f.URL)); err != nil {
			return nil, err
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
	job, err := table.Update(&a.imports, r.ImportID, notFound("import"), a.runImport)
	return server.GetImport200JSONResponse{Status: success, Data: job.Import}, err
}

// runImport runs a pending import.
func (a *api) runImport(job *importJob) error {
	if job.Status != "Pending" {
		return nil
	}
	job.Status = "Success"
	for i := range job.Files {
		f := &job.Files[i]
		u, err := url.Parse(table.Deref(f.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.Status, f.ErrorMessages = "Failed", &[]string{"the URL is not a public HTTP(S) URL"}
			job.Status = "Failed"
			continue
		}
		base := path.Base(u.Path)
		if base == "." || base == "/" { // no path
			base = ""
		}
		fileName := cmp.Or(table.Deref(f.Filename), base, "import")
		name := cmp.Or(table.Deref(f.Name), strings.TrimSuffix(fileName, path.Ext(fileName)))
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
	return nil
}

func (a *api) CancelImport(_ context.Context, r server.CancelImportRequestObject) (server.CancelImportResponseObject, error) {
	job, err := table.Update(&a.imports, r.ImportID, notFound("import"), func(job *importJob) error {
		if job.Status != "Pending" {
			return conflict("import is already finished: " + job.Status)
		}
		job.Status = "Cancelled"
		for i := range job.Files {
			job.Files[i].Status = "Cancelled"
		}
		return nil
	})
	return server.CancelImport200JSONResponse{Status: success, Data: job.Import}, err
}
