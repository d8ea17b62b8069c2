package livepushtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/internal/server"
	"github.com/onair-go/onair/scopes"
)

// start starts a sandbox and returns a client whose token has every scope.
func start(t *testing.T) *livepush.Client {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	c, err := livepush.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.All[scopes.Livepush]()...)), livepush.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ids drains a list and returns the ids of its items.
func ids[T any](seq iter.Seq2[T, error], id func(T) string) ([]string, error) {
	var out []string
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, id(v))
	}
	return out, nil
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

// wantError checks that err is Livepush's error with the status, and,
// unless it is "", the message.
func wantError(t *testing.T, err error, status int, message string) {
	t.Helper()
	var e *livepush.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a *livepush.Error with status %d", err, status)
	}
	if e.StatusCode != status || message != "" && e.Message != message {
		t.Errorf("error %d %q, want %d %q", e.StatusCode, e.Message, status, message)
	}
}

var (
	streamID = func(s livepush.Stream) string { return s.ID }
	destID   = func(d livepush.Destination) string { return d.ID }
	videoID  = func(v livepush.Video) string { return v.ID }
	importID = func(i livepush.VideoImport) string { return i.ID }
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	c := start(t)

	acc, err := c.Account.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &livepush.Account{
		ID: seedUserID, Username: "janedoe", Name: "Jane Doe", Email: "jane@example.com",
		Avatar: "https://cdn.example.com/avatars/janedoe.png", Namespace: "nsL2BzkdFKgIYv", IsDisabled: false,
		CreatedAt:   time.Date(2024, 3, 18, 9, 21, 44, 0, time.UTC),
		Preferences: map[string]any{"theme": "dark"},
		BillingInfo: livepush.BillingInfo{Email: "billing@example.com", Name: "Jane Doe"},
	}
	if d := cmp.Diff(want, acc); d != "" {
		t.Errorf("Account.Get (-want +got):\n%s", d)
	}

	for _, tc := range []struct {
		name string
		list func() ([]string, error)
		want []string
	}{
		{"Streams.List", func() ([]string, error) { return ids(c.Streams.List(ctx), streamID) },
			[]string{seedStreamID, "st_9Wc3Hn6Tb1Kqy"}},
		{"Destinations.List", func() ([]string, error) { return ids(c.Destinations.List(ctx), destID) },
			[]string{seedDestID, "pb_8Mn3Jr6Ls"}},
		{"Destinations.ListForStream", func() ([]string, error) { return ids(c.Destinations.ListForStream(ctx, seedStreamID), destID) },
			[]string{seedDestID}},
		{"Videos.List", func() ([]string, error) { return ids(c.Videos.List(ctx, seedStreamID), videoID) },
			[]string{seedVideoID}},
		{"Videos.List empty", func() ([]string, error) { return ids(c.Videos.List(ctx, "st_9Wc3Hn6Tb1Kqy"), videoID) },
			nil},
		{"Recordings.List", func() ([]string, error) {
			return ids(c.Recordings.List(ctx), func(r livepush.Recording) string { return r.ID })
		}, []string{"recLuF0EKePs", "recQ7mZ2xTb9", "recH3kV8pWn1"}},
		{"Regions.List", func() ([]string, error) {
			return ids(c.Regions.List(ctx), func(r livepush.Region) string { return r.ID })
		}, []string{"zn_6Pd2Mf8Qa", "zn_1Rk5Tw3Hy", "zn_8Vb4Xc7Nm"}},
		{"Account.ListSubscriptions", func() ([]string, error) {
			return ids(c.Account.ListSubscriptions(ctx), func(s livepush.Subscription) string { return s.ID + " " + string(s.Status) })
		}, []string{"sub_8Kq2Lm5Rt9Xw active", "sub_2Pw6Nc8Vb3Jk canceled"}},
		{"Billing.ListInvoices", func() ([]string, error) {
			return ids(c.Billing.ListInvoices(ctx), func(i livepush.Invoice) string { return i.ID })
		}, []string{"inv_9Lh4Sd6Gk2Mx", "inv_3Tc7Wd1Fz6Qp"}},
		{"Teams.List", func() ([]string, error) {
			return ids(c.Teams.List(ctx), func(t livepush.Team) string { return t.ID + " " + t.Role })
		}, []string{seedTeamID + " owner", "tm_9Rw3Jd7Fp2Lx member"}},
		{"VideoImports.ListQueued", func() ([]string, error) { return ids(c.VideoImports.ListQueued(ctx), importID) },
			[]string{"tr_7Gf2Hk9Ld4Sa"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.list()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
		})
	}
}

func TestAccountUpdate(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	got, err := c.Account.Update(ctx, livepush.UpdateAccountRequest{
		Name:        onair.Ptr("Jane A. Doe"),
		Preferences: &map[string]any{"language": "en"},
	})
	if err != nil {
		t.Fatal(err)
	}
	read, err := c.Account.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, read); d != "" {
		t.Errorf("Get after Update differs from Update's answer (-update +get):\n%s", d)
	}
	if read.Name != "Jane A. Doe" || read.Avatar != "https://cdn.example.com/avatars/janedoe.png" {
		t.Errorf("name %q, avatar %q: want the new name and the old avatar", read.Name, read.Avatar)
	}
	if d := cmp.Diff(map[string]any{"theme": "dark", "language": "en"}, read.Preferences); d != "" {
		t.Errorf("preferences are not merged (-want +got):\n%s", d)
	}
}

func TestStreamLifecycle(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	before := time.Now().Add(-time.Second)

	created, err := c.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "Youth night", Category: livepush.StreamCategorySchedule})
	if err != nil {
		t.Fatal(err)
	}
	for what, re := range map[string]string{
		created.ID: `^st_[0-9A-Za-z]{13}$`, created.ChatID: `^mc_[0-9A-Za-z]{12}$`, created.EmbedID: `^em_[0-9A-Za-z]{12}$`,
		created.StreamKey: `^rtmp_[0-9A-Za-z]{12}$`, created.Zone: `^zn_6Pd2Mf8Qa$`,
	} {
		if !regexp.MustCompile(re).MatchString(what) {
			t.Errorf("%q does not match %s", what, re)
		}
	}
	if created.CreatedAt.Before(before) || created.CreatedAt.After(time.Now()) || len(created.Destinations) != 0 {
		t.Errorf("created at %v with %d destinations, want now and none", created.CreatedAt, len(created.Destinations))
	}

	want := livepush.Stream{
		ID: created.ID, ChatID: created.ChatID, EmbedID: created.EmbedID, CreatedAt: created.CreatedAt,
		IsDisabled: false, Metadata: created.Metadata, Config: created.Config, Destinations: []livepush.Destination{},
		Zone:          livepush.Zone{Category: "default", Host: "stream.livepush.io", IsPublic: true, IsDefault: true},
		UnsafeContent: false, HasValidated: false, StreamKey: created.StreamKey,
	}
	got, err := c.Streams.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&want, got); d != "" {
		t.Errorf("Get (-want +got):\n%s", d)
	}
	listed := all(t, c.Streams.List(ctx))
	if len(listed) != 3 || listed[2].ID != created.ID {
		t.Errorf("List has %d streams, want the 2 seeded and the new one last", len(listed))
	}

	updated, err := c.Streams.Update(ctx, created.ID, livepush.UpdateStreamRequest{Name: onair.Ptr("Youth night live")})
	if err != nil {
		t.Fatal(err)
	}
	want.Metadata.Name = "Youth night live"
	if d := cmp.Diff(&want, updated); d != "" {
		t.Errorf("Update (-want +got):\n%s", d)
	}
	if got, err := c.Streams.Get(ctx, created.ID); err != nil || got.Metadata != want.Metadata {
		t.Errorf("Get after Update: %+v, %v; want metadata %+v", got, err, want.Metadata)
	}

	if err := c.Streams.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Streams.Get(ctx, created.ID)
	wantError(t, err, http.StatusNotFound, "Stream not found")
	wantError(t, c.Streams.Delete(ctx, created.ID), http.StatusNotFound, "Stream not found")
	if got, _ := ids(c.Streams.List(ctx), streamID); len(got) != 2 {
		t.Errorf("List after Delete: %v", got)
	}
}

func TestDestinationLifecycle(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	const other = "st_9Wc3Hn6Tb1Kqy"

	d, err := c.Destinations.Create(ctx, seedStreamID, livepush.CreateDestinationRequest{
		AppName: "custom", Label: "Studio relay", RTMPBase: "rtmp://relay.example.com/live", StreamKey: "sk_1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^pb_[0-9A-Za-z]{9}$`).MatchString(d.ID) || d.IsDisabled || d.IsPinned || d.UpdatedAt.IsZero() {
		t.Errorf("created %+v", d)
	}
	yt, err := c.Destinations.Create(ctx, seedStreamID, livepush.CreateDestinationRequest{AppName: "youtube", IsDisabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if yt.RTMPBase != "rtmp://a.rtmp.youtube.com/live2" || !yt.IsDisabled {
		t.Errorf("YouTube destination %+v: want YouTube's ingest URL, disabled", yt)
	}

	// The new destinations belong to their stream, and to it only.
	if got, _ := ids(c.Destinations.ListForStream(ctx, seedStreamID), destID); !cmp.Equal(got, []string{seedDestID, d.ID, yt.ID}) {
		t.Errorf("ListForStream: %v", got)
	}
	if s, err := c.Streams.Get(ctx, seedStreamID); err != nil || len(s.Destinations) != 3 {
		t.Errorf("the stream has %d destinations (%v), want 3", len(s.Destinations), err)
	}
	_, err = c.Destinations.Update(ctx, other, d.ID, livepush.UpdateDestinationRequest{Label: onair.Ptr("x")})
	wantError(t, err, http.StatusNotFound, "Destination not found")

	updated, err := c.Destinations.Update(ctx, seedStreamID, d.ID, livepush.UpdateDestinationRequest{Label: onair.Ptr("Studio relay (backup)")})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Label != "Studio relay (backup)" || updated.RTMPBase != "rtmp://relay.example.com/live" {
		t.Errorf("Update: %+v", updated)
	}

	disabled := func() bool {
		t.Helper()
		for _, x := range all(t, c.Destinations.ListForStream(ctx, seedStreamID)) {
			if x.ID == d.ID {
				return x.IsDisabled
			}
		}
		t.Fatalf("%s is gone", d.ID)
		return false
	}
	if err := c.Destinations.Disable(ctx, seedStreamID, d.ID); err != nil || !disabled() {
		t.Errorf("Disable: %v, disabled %v", err, disabled())
	}
	if err := c.Destinations.Enable(ctx, seedStreamID, d.ID); err != nil || disabled() {
		t.Errorf("Enable: %v, disabled %v", err, disabled())
	}

	if err := c.Destinations.Delete(ctx, seedStreamID, d.ID); err != nil {
		t.Fatal(err)
	}
	wantError(t, c.Destinations.Delete(ctx, seedStreamID, d.ID), http.StatusNotFound, "Destination not found")
	if got, _ := ids(c.Destinations.ListForStream(ctx, seedStreamID), destID); !cmp.Equal(got, []string{seedDestID, yt.ID}) {
		t.Errorf("ListForStream after Delete: %v", got)
	}

}

// A deleted stream takes its destinations and videos with it: they are
// out of the API's reach, so only the store shows it.
func TestDeleteStreamCascades(t *testing.T) {
	a := newAPI()
	if _, err := a.DeleteStream(context.Background(), server.DeleteStreamRequestObject{StreamID: seedStreamID}); err != nil {
		t.Fatal(err)
	}
	if d, v := a.dests.Children(seedStreamID), a.videos.Children(seedStreamID); len(d)+len(v) != 0 {
		t.Errorf("the deleted stream left %d destinations and %d videos", len(d), len(v))
	}
	if len(a.dests.List(nil)) != 1 {
		t.Errorf("the other stream's destination went too")
	}
}

func TestVideos(t *testing.T) {
	ctx := context.Background()
	c := start(t)

	v, err := c.Videos.Upload(ctx, seedStreamID, livepush.UploadVideoRequest{
		Name: "Announcements", Source: livepush.VideoSource{Type: livepush.VideoSourceTypeURL, URL: "https://media.example.com/a.mp4"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.ID, "vid_") || v.Name != "Announcements" || v.Status != livepush.VideoStatusQueued || v.PlaybackURL == "" {
		t.Errorf("Upload: %+v", v)
	}
	listed := all(t, c.Videos.List(ctx, seedStreamID))
	if d := cmp.Diff([]livepush.Video{*v}, listed[1:]); d != "" {
		t.Errorf("List after Upload (-want +got):\n%s", d)
	}
	wantError(t, c.Videos.Delete(ctx, "st_9Wc3Hn6Tb1Kqy", v.ID), http.StatusNotFound, "Video not found")
	if err := c.Videos.Delete(ctx, seedStreamID, v.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := ids(c.Videos.List(ctx, seedStreamID), videoID); !cmp.Equal(got, []string{seedVideoID}) {
		t.Errorf("List after Delete: %v", got)
	}
}

func TestVideoImport(t *testing.T) {
	ctx := context.Background()
	c := start(t)

	const u = "https://my-bucket.s3.amazonaws.com/uploads/retreat.MOV"
	m, err := c.VideoImports.InspectMetadata(ctx, livepush.InspectMetadataRequest{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.VideoImports.InspectMetadata(ctx, livepush.InspectMetadataRequest{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.ID, "tup_") || m.Container != "mov" || m.Duration <= 0 || m.Size <= 0 {
		t.Errorf("InspectMetadata: %+v", m)
	}
	if m.ID == again.ID || m.Duration != again.Duration || m.Size != again.Size {
		t.Errorf("two inspections of one URL: %+v and %+v, want new ids and the same metadata", m, again)
	}

	imp, err := c.VideoImports.CreateTransfer(ctx, livepush.CreateTransferRequest{MetadataID: m.ID, StreamID: seedStreamID, Name: "Retreat"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(imp.ID, "tr_") || imp.Status != "queued" || imp.Progress != 0 {
		t.Errorf("CreateTransfer: %+v", imp)
	}
	if got, _ := ids(c.VideoImports.ListQueued(ctx), importID); !cmp.Equal(got, []string{"tr_7Gf2Hk9Ld4Sa", imp.ID}) {
		t.Errorf("ListQueued: %v", got)
	}
}

func TestTeams(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	members := func() []livepush.TeamMember {
		t.Helper()
		for _, team := range all(t, c.Teams.List(ctx)) {
			if team.ID == seedTeamID {
				return team.Members
			}
		}
		t.Fatal("the seeded team is gone")
		return nil
	}

	ana, err := c.Teams.AddMember(ctx, seedTeamID, livepush.AddTeamMemberRequest{Email: "ana@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9A-Za-z]{13}$`).MatchString(ana.ID) || ana.Role != "member" {
		t.Errorf("AddMember: %+v", ana)
	}
	// Someone already known keeps their id; adding a member again changes
	// the role only.
	maria, err := c.Teams.AddMember(ctx, seedTeamID, livepush.AddTeamMemberRequest{Email: "maria@example.com", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	sam, err := c.Teams.AddMember(ctx, seedTeamID, livepush.AddTeamMemberRequest{Email: "sam@example.com", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	want := []livepush.TeamMember{
		{ID: seedUserID, Email: "jane@example.com", Name: "Jane Doe", Role: "owner"},
		{ID: seedMemberID, Email: "sam@example.com", Name: "Sam Lee", Role: "admin"},
		*ana,
		{ID: "Zx4Cv8Bn1Mq6P", Email: "maria@example.com", Name: "Maria Okafor", Role: "admin"},
	}
	if d := cmp.Diff(want, members()); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]livepush.TeamMember{want[1], want[3]}, []livepush.TeamMember{*sam, *maria}); d != "" {
		t.Errorf("AddMember answers (-want +got):\n%s", d)
	}

	if err := c.Teams.RemoveMember(ctx, seedTeamID, ana.ID); err != nil {
		t.Fatal(err)
	}
	wantError(t, c.Teams.RemoveMember(ctx, seedTeamID, ana.ID), http.StatusNotFound, "Member not found")
	if got := members(); len(got) != 3 {
		t.Errorf("%d members after RemoveMember, want 3", len(got))
	}
}

func TestNotFound(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	const other, nope = "st_9Wc3Hn6Tb1Kqy", "st_0000000000000"
	upload := livepush.UploadVideoRequest{Name: "x", Source: livepush.VideoSource{Type: "url", URL: "https://example.com/x.mp4"}}
	for _, tc := range []struct {
		name, what string
		call       func() error
	}{
		{"Streams.Get", "Stream", func() error { _, err := c.Streams.Get(ctx, nope); return err }},
		{"Streams.Update", "Stream", func() error {
			_, err := c.Streams.Update(ctx, nope, livepush.UpdateStreamRequest{Name: onair.Ptr("x")})
			return err
		}},
		{"Streams.Delete", "Stream", func() error { return c.Streams.Delete(ctx, nope) }},
		{"Destinations.ListForStream", "Stream", func() error { _, err := ids(c.Destinations.ListForStream(ctx, nope), destID); return err }},
		{"Destinations.Create", "Stream", func() error {
			_, err := c.Destinations.Create(ctx, nope, livepush.CreateDestinationRequest{AppName: "youtube"})
			return err
		}},
		{"Destinations.Update", "Destination", func() error {
			_, err := c.Destinations.Update(ctx, seedStreamID, "pb_000000000", livepush.UpdateDestinationRequest{})
			return err
		}},
		{"Destinations.Update other stream", "Destination", func() error {
			_, err := c.Destinations.Update(ctx, other, seedDestID, livepush.UpdateDestinationRequest{})
			return err
		}},
		{"Destinations.Delete", "Destination", func() error { return c.Destinations.Delete(ctx, other, seedDestID) }},
		{"Destinations.Enable", "Destination", func() error { return c.Destinations.Enable(ctx, other, seedDestID) }},
		{"Destinations.Disable", "Stream", func() error { return c.Destinations.Disable(ctx, nope, seedDestID) }},
		{"Videos.List", "Stream", func() error { _, err := ids(c.Videos.List(ctx, nope), videoID); return err }},
		{"Videos.Upload", "Stream", func() error { _, err := c.Videos.Upload(ctx, nope, upload); return err }},
		{"Videos.Delete", "Video", func() error { return c.Videos.Delete(ctx, other, seedVideoID) }},
		{"VideoImports.CreateTransfer metadata", "Metadata", func() error {
			_, err := c.VideoImports.CreateTransfer(ctx, livepush.CreateTransferRequest{MetadataID: "tup_000000000000", StreamID: seedStreamID})
			return err
		}},
		{"VideoImports.CreateTransfer stream", "Stream", func() error {
			_, err := c.VideoImports.CreateTransfer(ctx, livepush.CreateTransferRequest{MetadataID: seedMetadata, StreamID: nope})
			return err
		}},
		{"Teams.AddMember", "Team", func() error {
			_, err := c.Teams.AddMember(ctx, "tm_000000000000", livepush.AddTeamMemberRequest{Email: "x@example.com"})
			return err
		}},
		{"Teams.RemoveMember team", "Team", func() error { return c.Teams.RemoveMember(ctx, "tm_000000000000", seedMemberID) }},
		{"Teams.RemoveMember member", "Member", func() error { return c.Teams.RemoveMember(ctx, "tm_9Rw3Jd7Fp2Lx", seedMemberID) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.call(), http.StatusNotFound, tc.what+" not found")
		})
	}
}

func TestInvalid(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	for _, tc := range []struct {
		name    string
		status  int
		message string
		call    func() error
	}{
		{"Streams.Create without a name", 400, "name is required", func() error {
			_, err := c.Streams.Create(ctx, livepush.CreateStreamRequest{Name: " ", Category: livepush.StreamCategorySimulcast})
			return err
		}},
		{"Streams.Create with an unknown category", 400, "", func() error {
			_, err := c.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "x", Category: "live"})
			return err
		}},
		{"Streams.Update to no name", 422, "name must not be empty", func() error {
			_, err := c.Streams.Update(ctx, seedStreamID, livepush.UpdateStreamRequest{Name: onair.Ptr("")})
			return err
		}},
		{"Account.Update to no name", 422, "name must not be empty", func() error {
			_, err := c.Account.Update(ctx, livepush.UpdateAccountRequest{Name: onair.Ptr("")})
			return err
		}},
		{"Destinations.Create custom without a key", 422, "rtmpBase and streamKey are required for custom RTMP", func() error {
			_, err := c.Destinations.Create(ctx, seedStreamID, livepush.CreateDestinationRequest{AppName: "custom", RTMPBase: "rtmp://a.example.com/live"})
			return err
		}},
		{"Destinations.Create with an HTTP base", 422, "rtmpBase must be an rtmp:// or rtmps:// URL", func() error {
			_, err := c.Destinations.Create(ctx, seedStreamID, livepush.CreateDestinationRequest{AppName: "twitch", RTMPBase: "https://a.example.com/live"})
			return err
		}},
		{"Destinations.Update with an HTTP base", 422, "rtmpBase must be an rtmp:// or rtmps:// URL", func() error {
			_, err := c.Destinations.Update(ctx, seedStreamID, seedDestID, livepush.UpdateDestinationRequest{RTMPBase: onair.Ptr("http://a.example.com/live")})
			return err
		}},
		{"Videos.Upload from FTP", 422, "source.url must be an http or https URL", func() error {
			_, err := c.Videos.Upload(ctx, seedStreamID, livepush.UploadVideoRequest{Name: "x", Source: livepush.VideoSource{Type: "url", URL: "ftp://example.com/x.mp4"}})
			return err
		}},
		{"VideoImports.InspectMetadata from FTP", 422, "url must be an S3 or HTTPS URL", func() error {
			_, err := c.VideoImports.InspectMetadata(ctx, livepush.InspectMetadataRequest{URL: "ftp://example.com/x.mp4"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.call(), tc.status, tc.message)
		})
	}
	// Nothing invalid was stored.
	s, err := c.Streams.Get(ctx, seedStreamID)
	if err != nil || s.Metadata.Name != "Sunday service" || len(s.Destinations) != 1 || s.Destinations[0].RTMPBase != "rtmp://a.rtmp.youtube.com/live2" {
		t.Errorf("the seeded stream changed: %+v, %v", s, err)
	}
}

// RevokeToken revokes the very token it is called with.
func TestRevokeToken(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	if err := c.Account.RevokeToken(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := c.Account.Get(ctx)
	wantError(t, err, http.StatusUnauthorized, "")
}

// A list answers every record exactly once, however many there are.
func TestListEveryRecordOnce(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	want := []string{seedStreamID, "st_9Wc3Hn6Tb1Kqy"}
	for i := range 60 {
		s, err := c.Streams.Create(ctx, livepush.CreateStreamRequest{Name: fmt.Sprint("Stream ", i), Category: livepush.StreamCategorySimulcast})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, s.ID)
	}
	got, err := ids(c.Streams.List(ctx), streamID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("List (-want +got):\n%s", d)
	}
}

// Concurrent writes and reads neither race (go test -race) nor lose
// records.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	c := start(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s, err := c.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "Parallel", Category: livepush.StreamCategorySimulcast})
			if err != nil {
				t.Error(err)
				return
			}
			for range 3 {
				if _, err := c.Destinations.Create(ctx, s.ID, livepush.CreateDestinationRequest{AppName: "youtube"}); err != nil {
					t.Error(err)
				}
				if _, err := c.Account.Update(ctx, livepush.UpdateAccountRequest{Preferences: &map[string]any{s.ID: true}}); err != nil {
					t.Error(err)
				}
				if _, err := ids(c.Streams.List(ctx), streamID); err != nil {
					t.Error(err)
				}
				if _, err := c.Teams.AddMember(ctx, seedTeamID, livepush.AddTeamMemberRequest{Email: "sam@example.com", Role: s.ID}); err != nil {
					t.Error(err)
				}
				if _, err := ids(c.Teams.List(ctx), func(t livepush.Team) string { return t.ID }); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	streams := all(t, c.Streams.List(ctx))
	dests := 0
	for _, s := range streams {
		dests += len(s.Destinations)
	}
	acc, err := c.Account.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(streams) != 10 || dests != 2+8*3 || len(acc.Preferences) != 1+8 {
		t.Errorf("%d streams, %d destinations, %d preferences; want 10, 26, 9", len(streams), dests, len(acc.Preferences))
	}
}
