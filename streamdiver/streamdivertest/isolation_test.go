package streamdivertest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
)

// Every sandbox starts from its own copy of the seed: what one changes
// does not show in a sandbox started later.
func TestSeedIsPerSandbox(t *testing.T) {
	ctx := context.Background()
	const keynote = "6f1c2a9e-0000-4000-8000-000000000001"
	_, first := start(t)
	settings, err := first.Tenants.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	media, err := first.Media.Get(ctx, keynote)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Tenants.UpdateSettings(ctx, streamdiver.UpdateTenantSettingsRequest{
		DuplicateCheckEnabled: onair.Ptr(!settings.DuplicateCheckEnabled), DefaultDownloadExpiry: onair.Ptr("P1D"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Media.Update(ctx, keynote, streamdiver.UpdateMediaRequest{Name: onair.Ptr("Renamed")}); err != nil {
		t.Fatal(err)
	}

	_, second := start(t)
	settings2, err := second.Tenants.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(settings, settings2); d != "" {
		t.Errorf("a later sandbox's settings (-seed +got):\n%s", d)
	}
	media2, err := second.Media.Get(ctx, keynote)
	if err != nil {
		t.Fatal(err)
	}
	if media2.Name != media.Name {
		t.Errorf("a later sandbox's media is named %q, want the seed's %q", media2.Name, media.Name)
	}
}
