package streamdivertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// Seeded ids.
const (
	demoID      = "e4742100-8750-4ee8-b788-f7366d07a737"
	libraryID   = "6f1c2a9e-0000-4000-8000-000000000016"
	talksID     = "6f1c2a9e-0000-4000-8000-000000000017"
	keynoteID   = "6f1c2a9e-0000-4000-8000-000000000001"
	podcastID   = "6f1c2a9e-0000-4000-8000-000000000002"
	panelID     = "6f1c2a9e-0000-4000-8000-00000000000c"
	demoDayID   = "6f1c2a9e-0000-4000-8000-00000000001b"
	rehearsalID = "6f1c2a9e-0000-4000-8000-000000000014"
	deTransID   = "6f1c2a9e-0000-4000-8000-000000000005"
	enTransID   = "6f1c2a9e-0000-4000-8000-00000000000d"
	unknownID   = "6f1c2a9e-0000-4000-8000-0000000000ff"
)

// start starts a sandbox and returns it with a client holding an
// application token of the tenant's realm, as a Streamdiver backend has.
func start(t *testing.T) (*Server, *streamdiver.Client) {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	c, err := streamdiver.NewClient(srv.Config().ClientCredentialsTokenSource(context.Background()), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func all[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func names[T any](items []T, name func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

func mediaName(m streamdiver.Media) string     { return m.Name }
func channelName(c streamdiver.Channel) string { return c.Name }

// wantError checks that err is Streamdiver's JSend error with the HTTP
// status and, for a fail, that data names field.
func wantError(t *testing.T, err error, status int, field string) {
	t.Helper()
	var e *streamdiver.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a *streamdiver.Error with status %d", err, status)
	}
	if e.StatusCode != status {
		t.Errorf("status %d, want %d (%v)", e.StatusCode, status, e)
	}
	switch {
	case field != "" && (e.Status != "fail" || e.Data[field] == nil):
		t.Errorf("error %v, want a fail naming %s", e, field)
	case field == "" && (e.Status != "error" || e.Message == ""):
		t.Errorf("error %v, want an error with a message", e)
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)

	got := names(all(t, c.Media.List(ctx, nil)), mediaName)
	want := []string{"Keynote 2024", "Demo day: keynote highlights", "Panel: Live video in the newsroom",
		"Product podcast, episode 12", "Conference floor plan", "Speaker guide 2024"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("media (-want +got):\n%s", diff)
	}

	m, err := c.Media.Get(ctx, keynoteID)
	if err != nil {
		t.Fatal(err)
	}
	wantMedia := &streamdiver.Media{
		ID: keynoteID, Name: "Keynote 2024", Description: "Opening keynote of the spring conference.",
		Type: "video", Status: "ready", Duration: float32(1834.5), FileSize: int64(734003200),
		Tags: []string{"conference", "keynote"}, ChannelIDs: []string{demoID},
		PlaylistURL:  "https://cdn.streamdiver.com/sandbox/" + keynoteID + "/playlist.m3u8",
		ThumbnailURL: "https://cdn.streamdiver.com/sandbox/" + keynoteID + "/thumbnail.jpg",
		CreatedAt:    at("2024-05-14T09:30:00Z"), UpdatedAt: at("2024-05-14T10:02:11Z"),
	}
	if diff := cmp.Diff(wantMedia, m); diff != "" {
		t.Errorf("Media.Get (-want +got):\n%s", diff)
	}

	if diff := cmp.Diff([]string{"Demo", "My media", "Public talks"}, names(all(t, c.Channels.List(ctx, nil)), channelName)); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}

	tenant, err := c.Tenants.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantTenant := &streamdiver.Tenant{ID: "6f1c2a9e-0000-4000-8000-00000000000a", Shortcode: "sandbox", Name: "Demo Media GmbH"}
	if diff := cmp.Diff(wantTenant, tenant); diff != "" {
		t.Errorf("Tenants.Current (-want +got):\n%s", diff)
	}
}

// TestPagination pages through more channels than fit a page: the typed
// iterator sees each exactly once, and every page says where it sits.
func TestPagination(t *testing.T) {
	ctx := context.Background()
	srv, c := start(t)
	want := []string{demoID, libraryID, talksID}
	for i := range 23 {
		ch, err := c.Channels.Create(ctx, streamdiver.CreateChannelRequest{Name: fmt.Sprintf("Channel %02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ch.ID)
	}
	before := srv.Calls(streamdiver.OpChannelsList)
	got := names(all(t, c.Channels.List(ctx, &streamdiver.ListChannelsParams{PerPage: 4})), func(c streamdiver.Channel) string { return c.ID })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if n := srv.Calls(streamdiver.OpChannelsList) - before; n != 7 {
		t.Errorf("%d requests for 26 channels by 4, want 7", n)
	}

	tok := srv.IssueToken().AccessToken
	tests := []struct {
		query      string
		status     int
		data       int
		pagination *streamdiver.Pagination
	}{
		{"", 200, 10, &streamdiver.Pagination{Page: 0, PerPage: 10, Total: 26, TotalPages: 3}},
		{"?page=2&perpage=10", 200, 6, &streamdiver.Pagination{Page: 2, PerPage: 10, Total: 26, TotalPages: 3}},
		{"?page=1&perpage=50", 200, 0, &streamdiver.Pagination{Page: 1, PerPage: 50, Total: 26, TotalPages: 1}},
		{"?perpage=51", 400, 0, nil},
		{"?page=-1", 400, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/channels"+tt.query, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Status     string
				Data       any
				Pagination *streamdiver.Pagination
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			items, _ := body.Data.([]any)
			if resp.StatusCode != tt.status || len(items) != tt.data {
				t.Errorf("%d with %d items, want %d with %d", resp.StatusCode, len(items), tt.status, tt.data)
			}
			if diff := cmp.Diff(tt.pagination, body.Pagination); diff != "" {
				t.Errorf("pagination (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFilterAndSort(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	tests := []struct {
		name   string
		params streamdiver.ListMediaParams
		want   []string
		field  string // the fail's field, if the list fails
	}{
		{"a tag", streamdiver.ListMediaParams{Filter: "tags=podcast"}, []string{"Product podcast, episode 12"}, ""},
		{"two filters", streamdiver.ListMediaParams{Filter: "type=video+tags=panel"}, []string{"Panel: Live video in the newsroom"}, ""},
		{"part of a name", streamdiver.ListMediaParams{Filter: "name=KEYNOTE"}, []string{"Keynote 2024", "Demo day: keynote highlights"}, ""},
		{"the recycle bin", streamdiver.ListMediaParams{Filter: "status=softDeleted"}, []string{"Keynote rehearsal"}, ""},
		{"a property media lack", streamdiver.ListMediaParams{Filter: "fileName=x+type=document"}, []string{"Speaker guide 2024"}, ""},
		{"descending", streamdiver.ListMediaParams{Filter: "type=video", Sort: "name:desc"},
			[]string{"Panel: Live video in the newsroom", "Keynote 2024", "Demo day: keynote highlights"}, ""},
		{"by a number", streamdiver.ListMediaParams{Sort: "fileSize", PerPage: 3},
			[]string{"Speaker guide 2024", "Conference floor plan", "Product podcast, episode 12", "Demo day: keynote highlights", "Keynote 2024", "Panel: Live video in the newsroom"}, ""},
		{"not property=value", streamdiver.ListMediaParams{Filter: "keynote"}, nil, "filter"},
		{"by a list", streamdiver.ListMediaParams{Sort: "tags"}, nil, "sort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var err error
			for m, e := range c.Media.List(ctx, &tt.params) {
				if err = e; err != nil {
					break
				}
				got = append(got, m.Name)
			}
			if tt.field != "" {
				wantError(t, err, 400, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNotFound looks up an id that does not exist, and sub-resources under
// a parent they do not belong to.
func TestNotFound(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"upload", func() error { _, err := c.Uploads.Get(ctx, unknownID); return err }},
		{"delete upload", func() error { return c.Uploads.Delete(ctx, unknownID) }},
		{"complete upload", func() error {
			_, err := c.Uploads.Complete(ctx, unknownID, streamdiver.CompleteUploadRequest{})
			return err
		}},
		{"import", func() error { _, err := c.Imports.Get(ctx, unknownID); return err }},
		{"media", func() error { _, err := c.Media.Get(ctx, unknownID); return err }},
		{"media outside the channel", func() error {
			_, err := c.Media.Get(ctx, podcastID, onair.WithQuery("channelId", demoID))
			return err
		}},
		{"update media", func() error {
			_, err := c.Media.Update(ctx, unknownID, streamdiver.UpdateMediaRequest{Name: onair.Ptr("x")})
			return err
		}},
		{"delete media", func() error { return c.Media.Delete(ctx, unknownID, nil) }},
		{"recover media", func() error { _, err := c.Media.Recover(ctx, unknownID); return err }},
		{"thumbnail of audio", func() error { _, err := c.Media.GetThumbnail(ctx, podcastID); return err }},
		{"metadata", func() error { _, err := c.Media.GetMetadata(ctx, unknownID); return err }},
		{"transcript of another asset", func() error {
			_, err := c.Media.DownloadTranscript(ctx, panelID, deTransID, &streamdiver.DownloadMediaTranscriptParams{TranscriptDownloadType: "srt"})
			return err
		}},
		{"channel", func() error { _, err := c.Channels.Get(ctx, unknownID); return err }},
		{"delete channel", func() error { return c.Channels.Delete(ctx, unknownID) }},
		{"livestream", func() error { _, err := c.Livestreams.Get(ctx, unknownID); return err }},
		{"start livestream", func() error { _, err := c.Livestreams.Start(ctx, unknownID); return err }},
		{"preset", func() error {
			_, err := c.Search.UpdatePreset(ctx, unknownID, streamdiver.SearchPresetRequest{Name: "x", Scope: "user", Query: map[string]any{}})
			return err
		}},
		{"download", func() error { _, err := c.Downloads.Get(ctx, unknownID); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, tt.call(), 404, "")
		})
	}
}

// TestConcurrent writes and reads from many goroutines; run with -race.
func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 5 {
				if _, err := c.Channels.Create(ctx, streamdiver.CreateChannelRequest{Name: fmt.Sprintf("c%d-%d", i, j)}); err != nil {
					t.Error(err)
				}
				if err := c.Media.AssignTags(ctx, streamdiver.AssignMediaTagsRequest{IDs: []string{keynoteID}, Tags: []string{fmt.Sprint(i)}}); err != nil {
					t.Error(err)
				}
				for _, err := range c.Media.List(ctx, nil) {
					if err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if n := len(all(t, c.Channels.List(ctx, nil))); n != 3+8*5 {
		t.Errorf("%d channels, want %d", n, 3+8*5)
	}
	m, err := c.Media.Get(ctx, keynoteID)
	if err != nil {
		t.Fatal(err)
	}
	if tags := m.Tags; len(tags) != 2+8 || !slices.Contains(tags, "7") {
		t.Errorf("tags %v, want conference, keynote and 0 to 7", tags)
	}
}

// TestTenantShortcode: the fake of another realm says so in its tenant
// and in the URLs of its storage and CDN.
func TestTenantShortcode(t *testing.T) {
	a := newTenantAPI("acme")
	res, _ := a.GetCurrentTenant(context.Background(), server.GetCurrentTenantRequestObject{})
	if got := res.(server.GetCurrentTenant200JSONResponse).Data.Shortcode; got != "acme" {
		t.Errorf("shortcode %q, want acme", got)
	}
	m, _ := a.media.Get(keynoteID)
	if want := "https://cdn.streamdiver.com/acme/" + keynoteID + "/playlist.m3u8"; *m.PlaylistURL != want {
		t.Errorf("playlist %s, want %s", *m.PlaylistURL, want)
	}
}
