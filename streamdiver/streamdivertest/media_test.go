package streamdivertest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
)

// TestMediaRoundTrip updates an asset, deletes it softly, recovers it and
// deletes it for good.
func TestMediaRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)

	updated, err := c.Media.Update(ctx, panelID, streamdiver.UpdateMediaRequest{Name: onair.Ptr("Panel (edited)"), Description: onair.Ptr("Shorter.")})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != "Panel (edited)" || updated.Description != "Shorter." || !updated.UpdatedAt.After(updated.CreatedAt) {
		t.Errorf("updated %+v", updated)
	}
	got, err := c.Media.Get(ctx, panelID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(updated, got); diff != "" {
		t.Errorf("Get after Update (-update +get):\n%s", diff)
	}
	_, err = c.Media.Update(ctx, panelID, streamdiver.UpdateMediaRequest{Name: onair.Ptr(" ")})
	wantError(t, err, 400, "name")

	if err := c.Media.Delete(ctx, panelID, nil); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names(all(t, c.Media.List(ctx, nil)), mediaName), "Panel (edited)") {
		t.Error("a soft-deleted asset is listed")
	}
	if m, err := c.Media.Get(ctx, panelID); err != nil || m.Status != "softDeleted" {
		t.Errorf("soft-deleted asset: %v, %v", m, err)
	}
	recovered, err := c.Media.Recover(ctx, panelID)
	if err != nil {
		t.Fatal(err)
	}
	if recovered.Status != "ready" || len(recovered.ChannelIDs) != 2 {
		t.Errorf("recovered %+v, want it ready in its two channels", recovered)
	}

	if err := c.Media.Delete(ctx, panelID, &streamdiver.DeleteMediaParams{HardDelete: true}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Media.Get(ctx, panelID)
	wantError(t, err, 404, "")
	_, err = c.Media.DownloadTranscript(ctx, panelID, "6f1c2a9e-0000-4000-8000-000000000012", &streamdiver.DownloadMediaTranscriptParams{TranscriptDownloadType: "txt"})
	wantError(t, err, 404, "")
}

// TestBulk deletes and tags several assets, all or none.
func TestBulk(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	keynote, panel, unknown := keynoteID, panelID, unknownID

	tags, err := c.Media.ListTags(ctx, &streamdiver.ListMediaTagsParams{IDs: []string{keynote, panel}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&streamdiver.MediaTags{Tags: []string{"conference", "keynote", "panel"}, CommonTags: []string{"conference"}}, tags); diff != "" {
		t.Errorf("ListTags (-want +got):\n%s", diff)
	}
	_, err = c.Media.ListTags(ctx, &streamdiver.ListMediaTagsParams{IDs: []string{keynote, unknown}})
	wantError(t, err, 400, "ids")

	if err := c.Media.AssignTags(ctx, streamdiver.AssignMediaTagsRequest{IDs: []string{keynote, panel}, Tags: []string{"2024", "conference"}}); err != nil {
		t.Fatal(err)
	}
	tags, err = c.Media.ListTags(ctx, &streamdiver.ListMediaTagsParams{IDs: []string{keynote, panel}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&streamdiver.MediaTags{Tags: []string{"2024", "conference", "keynote", "panel"}, CommonTags: []string{"2024", "conference"}}, tags); diff != "" {
		t.Errorf("ListTags after AssignTags (-want +got):\n%s", diff)
	}
	err = c.Media.AssignTags(ctx, streamdiver.AssignMediaTagsRequest{IDs: []string{keynote, unknown}, Tags: []string{"lost"}})
	wantError(t, err, 404, "")

	err = c.Media.BulkDelete(ctx, streamdiver.BulkDeleteMediaRequest{IDs: []string{keynote, unknown}})
	wantError(t, err, 404, "")
	if m, err := c.Media.Get(ctx, keynoteID); err != nil || m.Status != "ready" || slices.Contains(m.Tags, "lost") {
		t.Errorf("after failed bulk calls: %+v, %v; want it untouched", m, err)
	}
	if err := c.Media.BulkDelete(ctx, streamdiver.BulkDeleteMediaRequest{IDs: []string{keynote, panel}}); err != nil {
		t.Fatal(err)
	}
	deleted := names(all(t, c.Media.List(ctx, &streamdiver.ListMediaParams{Filter: "status=softDeleted"})), mediaName)
	if diff := cmp.Diff([]string{"Keynote 2024", "Panel: Live video in the newsroom", "Keynote rehearsal"}, deleted); diff != "" {
		t.Errorf("soft-deleted (-want +got):\n%s", diff)
	}
}

func TestThumbnail(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	form := func(field string, content []byte) (string, io.Reader) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		f, _ := w.CreateFormFile(field, "thumb")
		f.Write(content)
		w.Close()
		return w.FormDataContentType(), &b
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	ct, body := form("file", png)
	th, err := c.Media.UpdateThumbnail(ctx, keynoteID, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.Thumbnail{URL: "https://cdn.streamdiver.com/sandbox/" + keynoteID + "/thumbnail-2.png"}
	if diff := cmp.Diff(want, th); diff != "" {
		t.Errorf("UpdateThumbnail (-want +got):\n%s", diff)
	}
	got, err := c.Media.GetThumbnail(ctx, keynoteID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetThumbnail (-want +got):\n%s", diff)
	}
	ct, body = form("file", nil)
	_, err = c.Media.UpdateThumbnail(ctx, keynoteID, ct, body)
	wantError(t, err, 400, "file")
}

func TestTranscripts(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	got := all(t, c.Media.ListTranscripts(ctx, keynoteID))
	want := []streamdiver.Transcript{{ID: deTransID, LanguageCode: "de"}, {ID: enTransID, LanguageCode: "en"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListTranscripts (-want +got):\n%s", diff)
	}

	tests := []struct {
		format string
		omit   bool
		want   string
	}{
		{"srt", false, "1\n00:00:00,000 --> 00:00:04,200\nSpeaker 1: Welcome to the spring conference keynote.\n\n" +
			"2\n00:00:12,400 --> 00:00:31,000\nSpeaker 1: We moved our whole video archive to the cloud this year.\n\n" +
			"3\n00:01:35,000 --> 00:01:58,500\nSpeaker 2: Search now understands what was said, not just the words.\n\n"},
		{"vtt", true, "WEBVTT\n\n00:00:00.000 --> 00:00:04.200\nWelcome to the spring conference keynote.\n\n" +
			"00:00:12.400 --> 00:00:31.000\nWe moved our whole video archive to the cloud this year.\n\n" +
			"00:01:35.000 --> 00:01:58.500\nSearch now understands what was said, not just the words.\n\n"},
		{"txt", false, "Speaker 1: Welcome to the spring conference keynote.\nSpeaker 1: We moved our whole video archive to the cloud this year.\n" +
			"Speaker 2: Search now understands what was said, not just the words.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			b, err := c.Media.DownloadTranscript(ctx, keynoteID, enTransID, &streamdiver.DownloadMediaTranscriptParams{
				TranscriptDownloadType: streamdiver.TranscriptDownloadType(tt.format), OmitSpeakerLabels: tt.omit,
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
		})
	}

	b, err := c.Media.DownloadTranscript(ctx, keynoteID, deTransID, &streamdiver.DownloadMediaTranscriptParams{TranscriptDownloadType: "docx"})
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("docx is no zip: %v", err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(f)
	if !strings.Contains(string(doc), "Speaker 1: Willkommen zur Keynote der Frühjahrskonferenz.") {
		t.Errorf("document.xml lacks the first line:\n%s", doc)
	}

	// Another transcription: a new, empty transcript; one in a language
	// the asset has adds nothing; one the tenant lacks is refused.
	for _, code := range []string{"de-v2", "translate-en-v2"} {
		if err := c.Media.RequestMetadata(ctx, podcastID, streamdiver.RequestMetadataRequest{TranscriptLanguageCodes: []string{code}}); err != nil {
			t.Fatal(err)
		}
	}
	langs := names(all(t, c.Media.ListTranscripts(ctx, podcastID)), func(t streamdiver.Transcript) string { return t.LanguageCode })
	if diff := cmp.Diff([]string{"en", "de"}, langs); diff != "" {
		t.Errorf("podcast transcripts (-want +got):\n%s", diff)
	}
	err = c.Media.RequestMetadata(ctx, podcastID, streamdiver.RequestMetadataRequest{TranscriptLanguageCodes: []string{"fr-v2"}})
	wantError(t, err, 400, "transcriptLanguageCodes")
}

func TestMetadata(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	got, err := c.Media.GetMetadata(ctx, keynoteID)
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.MediaMetadata{
		Transcripts: []streamdiver.Transcript{{ID: deTransID, LanguageCode: "de"}, {ID: enTransID, LanguageCode: "en"}},
		Speakers:    []map[string]any{{"name": "Speaker 1"}, {"name": "Speaker 2"}},
		Keywords:    []map[string]any{{"value": "Streaming"}, {"value": "Video archive"}, {"value": "Search"}},
		Entities:    []map[string]any{{"value": "Vienna", "type": "location"}, {"value": "Demo Media", "type": "organization"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetMetadata (-want +got):\n%s", diff)
	}
}

// TestUploadFlow creates an upload, completes it into an asset and
// deletes it; a second upload of the same file reports the first asset as
// its duplicate.
func TestUploadFlow(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	demo := demoID

	u, err := c.Uploads.Create(ctx, streamdiver.CreateUploadRequest{FileName: "interview.mov", Type: streamdiver.UploadType("put"), TranscriptLanguageCodes: []string{"en-v2"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != "created" || u.Input.URL == "" || !strings.HasPrefix(u.Input.URL, "https://storage-example.streamdiver.com/sandbox/uploads/"+u.ID+"/interview.mov?") {
		t.Errorf("created %+v", u)
	}
	done, err := c.Uploads.Complete(ctx, u.ID, streamdiver.CompleteUploadRequest{ChannelID: demo})
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != "completed" || done.MediaID == "" || done.Input != (streamdiver.UploadInput{}) || len(done.DuplicateMediaIDs) != 0 {
		t.Errorf("completed %+v", done)
	}
	m, err := c.Media.Get(ctx, done.MediaID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "interview" || m.Type != "video" || !slices.Equal(m.ChannelIDs, []string{demo}) || m.Status != "ready" {
		t.Errorf("asset %+v", m)
	}
	if langs := all(t, c.Media.ListTranscripts(ctx, m.ID)); len(langs) != 1 || langs[0].LanguageCode != "en" {
		t.Errorf("transcripts %+v, want one in en", langs)
	}
	got, err := c.Uploads.Get(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(done, got); diff != "" {
		t.Errorf("Get after Complete (-complete +get):\n%s", diff)
	}
	_, err = c.Uploads.Complete(ctx, u.ID, streamdiver.CompleteUploadRequest{})
	wantError(t, err, 409, "status")
	_, err = c.Uploads.Cancel(ctx, u.ID)
	wantError(t, err, 409, "status")

	again, err := c.Uploads.Create(ctx, streamdiver.CreateUploadRequest{FileName: "interview.mov"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Type != "multipart" || again.Input.Bucket == "" || again.Input.AccessKeyID == "" || again.Input.URL != "" {
		t.Errorf("a multipart upload's input %+v, want the bucket and credentials", again.Input)
	}
	dup, err := c.Uploads.Complete(ctx, again.ID, streamdiver.CompleteUploadRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dup.DuplicateMediaIDs, []string{m.ID}) {
		t.Errorf("duplicates %v, want %v", dup.DuplicateMediaIDs, m.ID)
	}
	if second, _ := c.Media.Get(ctx, dup.MediaID); !slices.Equal(second.ChannelIDs, []string{libraryID}) {
		t.Errorf("channels %v, want the default channel", second.ChannelIDs)
	}

	if err := c.Uploads.Delete(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Uploads.Get(ctx, u.ID)
	wantError(t, err, 404, "")
	if _, err := c.Media.Get(ctx, m.ID); err != nil {
		t.Errorf("the asset went with its upload: %v", err)
	}

	_, err = c.Uploads.Create(ctx, streamdiver.CreateUploadRequest{FileName: "x.mp4", TranscriptLanguageCodes: []string{"klingon-v1"}})
	wantError(t, err, 400, "transcriptLanguageCodes")
	cancelled, err := c.Uploads.Cancel(ctx, "6f1c2a9e-0000-4000-8000-000000000003")
	if err != nil || cancelled.Status != "cancelled" {
		t.Errorf("cancel the seeded pending upload: %+v, %v", cancelled, err)
	}
	_, err = c.Uploads.Complete(ctx, "6f1c2a9e-0000-4000-8000-000000000003", streamdiver.CompleteUploadRequest{})
	wantError(t, err, 409, "status")
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	demo := demoID
	created, err := c.Imports.Create(ctx, streamdiver.CreateImportRequest{Channel: demo, Files: []streamdiver.ImportFileRequest{
		{URL: "https://media.example.com/audio/interview.mp3?sig=1", Name: "Interview", TranscriptionLanguageCode: "de-v2"},
		{URL: "ftp://media.example.com/old.mp4"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Status != "Pending" || created.Files[0].Status != "Pending" || created.Files[0].UploadID != "" {
		t.Errorf("created %+v", created)
	}
	got, err := c.Imports.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	opts := cmpopts.IgnoreFields(streamdiver.ImportFile{}, "UploadID")
	want := &streamdiver.Import{ID: created.ID, Status: "Failed", Files: []streamdiver.ImportFile{
		{URL: "https://media.example.com/audio/interview.mp3?sig=1", Name: "Interview", Status: "Success", ErrorMessages: []string{}},
		{URL: "ftp://media.example.com/old.mp4", Status: "Failed", ErrorMessages: []string{"the URL is not a public HTTP(S) URL"}},
	}}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Imports.Get (-want +got):\n%s", diff)
	}
	up, err := c.Uploads.Get(ctx, got.Files[0].UploadID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Media.Get(ctx, up.MediaID)
	if err != nil {
		t.Fatal(err)
	}
	if up.FileName != "interview.mp3" || m.Name != "Interview" || m.Type != "audio" || !slices.Equal(m.ChannelIDs, []string{demo}) {
		t.Errorf("upload %+v, asset %+v", up, m)
	}
	_, err = c.Imports.Cancel(ctx, created.ID)
	wantError(t, err, 409, "status")

	cancelled, err := c.Imports.Cancel(ctx, "6f1c2a9e-0000-4000-8000-000000000004")
	if err != nil || cancelled.Status != "Cancelled" || cancelled.Files[0].Status != "Cancelled" {
		t.Errorf("cancel the seeded import: %+v, %v", cancelled, err)
	}
	_, err = c.Imports.Create(ctx, streamdiver.CreateImportRequest{Channel: unknownID, Files: []streamdiver.ImportFileRequest{{URL: "https://a.example/b.mp4"}}})
	wantError(t, err, 400, "channel")
}

func TestDownload(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	before := time.Now()
	d, err := c.Downloads.Create(ctx, streamdiver.CreateDownloadRequest{
		Title:               "Keynote kit",
		SelectedMediaIDs:    []string{keynoteID},
		SelectedTranscripts: []streamdiver.SelectedTranscript{{ID: enTransID, Format: "txt"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != "preparing" || len(d.Files) != 0 {
		t.Errorf("created %+v", d)
	}
	if exp := d.Expires.Sub(before); exp < 14*24*time.Hour-time.Second || exp > 14*24*time.Hour+time.Minute {
		t.Errorf("expires in %v, want the tenant's default of 14 days", exp)
	}
	got, err := c.Downloads.Get(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	base := "https://storage-example.streamdiver.com/sandbox/downloads/" + d.ID + "/"
	txt := "Speaker 1: Welcome to the spring conference keynote.\nSpeaker 1: We moved our whole video archive to the cloud this year.\n" +
		"Speaker 2: Search now understands what was said, not just the words.\n"
	want := []streamdiver.DownloadFile{
		{Name: "keynote-2024-1080p.mp4", URL: base + "keynote-2024-1080p.mp4", Size: int64(734003200), MimeType: "video/mp4"},
		{Name: "keynote-2024-en.txt", URL: base + "keynote-2024-en.txt", Size: int64(len(txt)), MimeType: "text/plain"},
	}
	if got.Status != "ready" {
		t.Errorf("status %s, want ready", got.Status)
	}
	if diff := cmp.Diff(want, got.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	_, err = c.Downloads.Create(ctx, streamdiver.CreateDownloadRequest{SelectedMediaIDs: []string{unknownID}})
	wantError(t, err, 400, "selectedMediaIds")
}
