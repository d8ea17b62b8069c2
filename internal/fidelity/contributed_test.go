package fidelity_test

import (
	"path/filepath"
	"testing"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/fidelity"
)

// Every contributed cassette (cassettes/<provider>/*.json, as the README
// says) reads, is as a Recorder leaves it (Encode refuses a credential,
// a cookie or a secret-named value left in it), names a provider whose
// spec onair has, and lies in that provider's directory. Contradictions
// of the spec are findings, not failures: "onair cassette check" lists
// them.
func TestContributedCassettes(t *testing.T) {
	files, err := filepath.Glob("../../cassettes/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no contributed cassette yet")
	}
	specs := loadSpecs(t)
	for _, f := range files {
		c, err := cassette.Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if dir := filepath.Base(filepath.Dir(f)); c.Provider != dir {
			t.Errorf("%s: the cassette's provider is %q; put it in cassettes/%s/", f, c.Provider, c.Provider)
		}
		if _, err := cassette.Encode(c); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if _, err := fidelity.Check(c, specs); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
