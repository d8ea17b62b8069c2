package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A recorded command that fails before it sends anything (a typo in its
// name) must not replace a cassette already at --out with an empty one.
func TestRecordFailedCommandKeepsExistingCassette(t *testing.T) {
	env := environ(t)
	out := filepath.Join(t.TempDir(), "kept.json")
	r := onair(t, env, "record", "--out", out, "--", "demo")
	if r.code != 0 {
		t.Fatalf("onair record -- demo:\n%s", r)
	}
	before, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r = onair(t, env, "record", "--out", out, "--", "dmeo")
	if r.code == 0 {
		t.Errorf("onair record -- dmeo succeeded:\n%s", r)
	}
	after, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("a failed command that sent nothing replaced the cassette (%d bytes) with %d bytes; stderr:\n%s", len(before), len(after), r.stderr)
	}
	if !strings.Contains(r.stderr, "nothing written") {
		t.Errorf("stderr does not say the cassette was left as it was:\n%s", r.stderr)
	}
}
