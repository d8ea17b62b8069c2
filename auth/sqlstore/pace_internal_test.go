package sqlstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nextFree takes the slot free soonest; a slot whose answer has not come
// is free no sooner than a window from now, unless it was abandoned.
func TestNextFree(t *testing.T) {
	const now, window = 10_000, 1_000
	type want struct {
		Slot, At int
		Free     bool
	}
	for _, tc := range []struct {
		name  string
		slots []slotState
		want  want
	}{
		{"all new", []slotState{{}, {}, {}}, want{0, 0, true}},
		{"one free now", []slotState{{freeAt: 10_500}, {freeAt: 9_000}, {freeAt: 10_200}}, want{1, 9_000, true}},
		{"free soonest later", []slotState{{freeAt: 10_500}, {freeAt: 10_200}}, want{1, 10_200, true}},
		{"taken: a window from now at least", []slotState{{freeAt: 70_000, claim: "a"}, {freeAt: 12_000}}, want{0, 11_000, false}},
		{"reserved later than a taken one frees", []slotState{{freeAt: 70_000, claim: "a"}, {freeAt: 10_700}}, want{1, 10_700, true}},
		{"taken, and a free slot", []slotState{{freeAt: 70_000, claim: "a"}, {freeAt: 10_000}}, want{1, 10_000, true}},
		{"taken and abandoned", []slotState{{freeAt: 9_999, claim: "a"}, {freeAt: 10_500}}, want{0, 9_999, true}},
		{"taken, to be abandoned within a window", []slotState{{freeAt: 10_400, claim: "a"}}, want{0, 10_400, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slot, at, free := nextFree(tc.slots, now, window)
			if d := cmp.Diff(tc.want, want{slot, int(at), free}); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
