package livestormtest_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livestorm"
)

// Every sandbox starts from its own copy of the seed: what one changes
// does not show in a sandbox started later.
func TestSeedIsPerSandbox(t *testing.T) {
	ctx := context.Background()
	_, first := start(t)
	seed := check(first.Events.Get(ctx, onboard))(t)
	check(first.Events.Update(ctx, onboard, livestorm.UpdateEventRequest{Title: ptr("Renamed"), ChatEnabled: ptr(!seed.ChatEnabled)}))(t)
	if err := first.Events.Delete(ctx, onboard); err != nil {
		t.Fatal(err)
	}
	_, second := start(t)
	if d := cmp.Diff(seed, check(second.Events.Get(ctx, onboard))(t)); d != "" {
		t.Errorf("a later sandbox's event (-seed +got):\n%s", d)
	}
}
