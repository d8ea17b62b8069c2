package livestorm

import "testing"

// Operations lists every operation once: the CLI's --list-ops and --for
// rely on it.
func TestOperationsListsEveryOperation(t *testing.T) {
	seen := map[Operation]bool{}
	for _, op := range Operations() {
		if seen[op] {
			t.Errorf("%s listed twice", op)
		}
		seen[op] = true
		if _, ok := operations[op]; !ok {
			t.Errorf("%s listed but unknown", op)
		}
	}
	if len(seen) != len(operations) {
		t.Errorf("Operations lists %d operations, the API has %d", len(seen), len(operations))
	}
}
