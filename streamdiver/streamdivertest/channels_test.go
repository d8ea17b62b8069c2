package streamdivertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
)

// TestChannelRoundTrip creates, reads, lists, updates and deletes a
// channel; deleting it unlinks its assets.
func TestChannelRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)

	created, err := c.Channels.Create(ctx, streamdiver.CreateChannelRequest{Name: "Press", Description: "Press conferences."})
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.Channel{ID: created.ID, Name: "Press", Description: "Press conferences.", Type: "group", Visibility: "private", MemberCount: 1, CreatedAt: created.CreatedAt}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	if created.ID == "" || created.CreatedAt.IsZero() {
		t.Errorf("created %+v, want an id and a creation time", created)
	}
	got, err := c.Channels.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get (-create +get):\n%s", diff)
	}
	if !slices.Contains(names(all(t, c.Channels.List(ctx, nil)), channelName), "Press") {
		t.Error("the new channel is not listed")
	}

	design := "6f1c2a9e-0000-4000-8000-00000000000e"
	updated, err := c.Channels.Update(ctx, created.ID, streamdiver.UpdateChannelRequest{Name: onair.Ptr("Press room"), DesignID: &design})
	if err != nil {
		t.Fatal(err)
	}
	want.Name, want.DesignID = "Press room", design
	if diff := cmp.Diff(want, updated); diff != "" {
		t.Errorf("Update (-want +got):\n%s", diff)
	}
	_, err = c.Channels.Update(ctx, created.ID, streamdiver.UpdateChannelRequest{DesignID: onair.Ptr("6f1c2a9e-0000-4000-8000-000000000009")})
	wantError(t, err, 400, "designId")

	public, err := c.Channels.SetVisibility(ctx, created.ID, streamdiver.UpdateChannelVisibilityRequest{Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	want.Visibility = "public"
	if diff := cmp.Diff(want, public); diff != "" {
		t.Errorf("SetVisibility (-want +got):\n%s", diff)
	}

	if err := c.Channels.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Channels.Get(ctx, created.ID)
	wantError(t, err, 404, "")

	if err := c.Channels.Delete(ctx, talksID); err != nil {
		t.Fatal(err)
	}
	panel, err := c.Media.Get(ctx, panelID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(panel.ChannelIDs, []string{demoID}) {
		t.Errorf("panel channels %v, want only Demo after Public talks is deleted", panel.ChannelIDs)
	}
	live, err := c.Livestreams.Get(ctx, "6f1c2a9e-0000-4000-8000-000000000015")
	if err != nil {
		t.Fatal(err)
	}
	if len(live.ChannelIDs) != 0 {
		t.Errorf("livestream channels %v, want none", live.ChannelIDs)
	}
}

// TestLivestreamRoundTrip registers a livestream, starts it, sees it live,
// stops it and deletes it.
func TestLivestreamRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	demo := demoID

	created, err := c.Livestreams.Create(ctx, streamdiver.CreateLivestreamRequest{Name: "Board meeting", ChannelIDs: []string{demo}, Source: "rtmp"})
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.Livestream{
		ID: created.ID, Name: "Board meeting", ChannelIDs: []string{demo}, Source: streamdiver.LivestreamSource("rtmp"),
		WithDVR: false, Status: "created", Inputs: []streamdiver.LivestreamInput{}, CreatedAt: created.CreatedAt,
	}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	_, err = c.Livestreams.Stop(ctx, "6f1c2a9e-0000-4000-8000-00000000001c")
	wantError(t, err, 409, "status")

	started, err := c.Livestreams.Start(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := started.Inputs
	if started.Status != "starting" || len(in) != 1 || !strings.HasPrefix(in[0].URL, "rtmp://at-cdn01.streamdiver.com/live-sandbox/") ||
		started.PlaylistURL != "https://cdn.streamdiver.com/sandbox/live/"+created.ID+"/playlist.m3u8" {
		t.Errorf("started %+v", started)
	}
	live, err := c.Livestreams.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.Status, want.Inputs, want.PlaylistURL = "live", started.Inputs, started.PlaylistURL
	if diff := cmp.Diff(want, live); diff != "" {
		t.Errorf("Get after Start (-want +got):\n%s", diff)
	}
	_, err = c.Livestreams.Start(ctx, created.ID)
	wantError(t, err, 409, "status")

	updated, err := c.Livestreams.Update(ctx, created.ID, streamdiver.UpdateLivestreamRequest{Name: onair.Ptr("Board meeting, Q2"), WithDVR: onair.Ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	want.Name, want.WithDVR = "Board meeting, Q2", true
	if diff := cmp.Diff(want, updated); diff != "" {
		t.Errorf("Update (-want +got):\n%s", diff)
	}
	_, err = c.Livestreams.Update(ctx, created.ID, streamdiver.UpdateLivestreamRequest{ChannelIDs: &[]string{unknownID}})
	wantError(t, err, 400, "channelIds")

	stopped, err := c.Livestreams.Stop(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.Status, want.Inputs, want.PlaylistURL = "stopped", []streamdiver.LivestreamInput{}, ""
	if diff := cmp.Diff(want, stopped); diff != "" {
		t.Errorf("Stop (-want +got):\n%s", diff)
	}
	restarted, err := c.Livestreams.Start(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if (restarted.Inputs)[0].URL == in[0].URL {
		t.Error("a restart kept the stream key")
	}

	listed := all(t, c.Livestreams.List(ctx, &streamdiver.ListLivestreamsParams{Filter: "status=live"}))
	if diff := cmp.Diff([]string{"Weekly town hall", "Board meeting, Q2"}, names(listed, func(l streamdiver.Livestream) string { return l.Name })); diff != "" {
		t.Errorf("live livestreams (-want +got):\n%s", diff)
	}

	if err := c.Livestreams.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Livestreams.Get(ctx, created.ID)
	wantError(t, err, 404, "")
	_, err = c.Livestreams.Create(ctx, streamdiver.CreateLivestreamRequest{Name: "x", ChannelIDs: []string{unknownID}, Source: "rtmp"})
	wantError(t, err, 400, "channelIds")
}

// TestSettings changes the tenant's settings; a new main design becomes
// the one main design of its type.
func TestSettings(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	dark := "6f1c2a9e-0000-4000-8000-00000000001a"
	got, err := c.Tenants.UpdateSettings(ctx, streamdiver.UpdateTenantSettingsRequest{
		DuplicateCheckEnabled: onair.Ptr(false), DefaultDownloadExpiry: onair.Ptr("P1W"), MainDesignIDs: streamdiver.MainDesignIDs{Player: dark},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.TenantSettings{
		TranscriptLanguageCodes: []string{"de-v2", "en-v2", "translate-en-v2"},
		DuplicateCheckEnabled:   false, DefaultDownloadExpiry: "P1W", PublicPortalEnabled: false, MaxActiveWebhooks: 10,
		MainDesignIDs: streamdiver.MainDesignIDs{Channel: "6f1c2a9e-0000-4000-8000-00000000000e", Player: dark},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UpdateSettings (-want +got):\n%s", diff)
	}
	if again, err := c.Tenants.GetSettings(ctx); err != nil || !cmp.Equal(want, again) {
		t.Errorf("GetSettings %+v, %v; want %+v", again, err, want)
	}
	players := all(t, c.Designs.List(ctx, &streamdiver.ListDesignsParams{Filter: "type=PlayerDesign"}))
	mains := map[string]bool{}
	for _, d := range players {
		mains[d.Name] = d.IsMain
	}
	if diff := cmp.Diff(map[string]bool{"Main player": false, "Demo day player": true}, mains); diff != "" {
		t.Errorf("isMain of the player designs (-want +got):\n%s", diff)
	}

	tests := []struct {
		name  string
		body  streamdiver.UpdateTenantSettingsRequest
		field string
	}{
		{"a design of another type", streamdiver.UpdateTenantSettingsRequest{MainDesignIDs: streamdiver.MainDesignIDs{DOCX: dark}}, "mainDesignIds.docx"},
		{"a duration in months", streamdiver.UpdateTenantSettingsRequest{DefaultDownloadExpiry: onair.Ptr("P1M")}, "defaultDownloadExpiry"},
		{"no duration", streamdiver.UpdateTenantSettingsRequest{DefaultDownloadExpiry: onair.Ptr("PT")}, "defaultDownloadExpiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Tenants.UpdateSettings(ctx, tt.body)
			wantError(t, err, 400, tt.field)
		})
	}
	if again, _ := c.Tenants.GetSettings(ctx); !cmp.Equal(want, again, cmpopts.EquateEmpty()) {
		t.Errorf("refused updates changed the settings: %+v", again)
	}
}
