package livepushtest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
)

// Every sandbox starts from its own copy of the seed: what one changes
// does not show in a sandbox started later.
func TestSeedIsPerSandbox(t *testing.T) {
	ctx := context.Background()
	first := start(t)
	acc, err := first.Account.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Account.Update(ctx, livepush.UpdateAccountRequest{
		Name: onair.Ptr("Someone Else"), Preferences: &map[string]any{"theme": "light", "language": "fr"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Streams.Update(ctx, seedStreamID, livepush.UpdateStreamRequest{Name: onair.Ptr("Renamed")}); err != nil {
		t.Fatal(err)
	}
	stream, err := start(t).Streams.Get(ctx, seedStreamID)
	if err != nil {
		t.Fatal(err)
	}
	if stream.Metadata.Name == "Renamed" {
		t.Errorf("a later sandbox's stream has the name another sandbox gave it")
	}
	acc2, err := start(t).Account.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(acc, acc2); d != "" {
		t.Errorf("a later sandbox's account (-seed +got):\n%s", d)
	}
}
