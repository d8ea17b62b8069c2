package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/FIDELITY.golden.md")

// The report on a small spec and two cassettes: getStream is confirmed by
// both, listStreams contradicted by the second in the field /0/id,
// deleteStream not recorded, GET /regions listed as a request the spec
// does not describe, and of the research rows the one applied lists its
// operation and schema, the other its reason; rows in numeric order.
func TestReport(t *testing.T) {
	got, err := build([]string{"testdata/livepush.yaml"}, "testdata/cassettes")
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/FIDELITY.golden.md"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("report (-want +got), run go test -update if the change is meant:\n%s", d)
	}
	for _, row := range []string{
		"| `getStream` | `Streams.Get` | doc | default: the provider's reference | confirmed by 2 cassettes |",
		"| `listStreams` | `Streams.List` | third-party | a client's list.ts | contradicted by `testdata/cassettes/livepush/b-contradicts.json`: answer `/0/id`: ",
		"| `deleteStream` | `Streams.Delete` | assumed | default: the provider's reference | not recorded |",
		"| fidelity-2 Livepush 2 | `GET /streams` \\| lists streams | a page | `listStreams`, `schema:Stream` |  |",
		"| fidelity-2 Livepush 10 | A zone tag | another page | not applied | Its paths were not captured. |",
		"- `GET /regions` in `testdata/cassettes/livepush/b-contradicts.json`",
	} {
		if !strings.Contains(string(got), row) {
			t.Errorf("the report has no line with %q", row)
		}
	}
}

// With no cassette, every operation is not recorded.
func TestReportNoCassettes(t *testing.T) {
	got, err := build([]string{"testdata/livepush.yaml"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "| not recorded |"); n != 3 {
		t.Errorf("%d operations not recorded, want 3:\n%s", n, got)
	}
}

// A research row the spec would lose fails the report with one line
// naming the row and what to do.
func TestReportRefusesLostRows(t *testing.T) {
	src, err := os.ReadFile("testdata/livepush.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, wantErr string
	}{
		{"neither applied nor reason", "    applied: []\n    reason: Its paths were not captured.\n", "",
			`x-onair-research row "fidelity-2 Livepush 10" has neither applied nor reason`},
		{"empty applied and reason", "    reason: Its paths were not captured.\n", "    reason: \"\"\n",
			`x-onair-research row "fidelity-2 Livepush 10" has neither applied nor reason`},
		{"unknown operation", "applied: [listStreams, schema:Stream]", "applied: [listStream]",
			`x-onair-research row "fidelity-2 Livepush 2" is applied to "listStream", which is no operation of the spec`},
		{"unknown schema", "applied: [listStreams, schema:Stream]", "applied: [schema:Streams]",
			`x-onair-research row "fidelity-2 Livepush 2" is applied to "schema:Streams", but the spec has no schema Streams`},
		{"no row", "  - row: fidelity-2 Livepush 2\n", "  - row: \"\"\n",
			"x-onair-research entry 1 has no row"},
		{"row twice", "row: fidelity-2 Livepush 10", "row: fidelity-2 Livepush 2",
			`x-onair-research row "fidelity-2 Livepush 2" is recorded twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(src), tt.old) {
				t.Fatalf("testdata/livepush.yaml has no %q", tt.old)
			}
			path := filepath.Join(t.TempDir(), "livepush.yaml")
			if err := os.WriteFile(path, []byte(strings.Replace(string(src), tt.old, tt.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := build([]string{path}, t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error is not one line: %q", err)
			}
		})
	}
}

// The project's specs make a report: DLive's GraphQL operations are listed
// under their client methods, with their own source where they say one,
// and the providers are in name order whatever the command line's.
func TestReportOfTheSpecs(t *testing.T) {
	t.Chdir("../../..")
	got, err := build([]string{"specs/livepush.yaml", "specs/dlive.yaml"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		"| `Me` | `Users.Me` | doc | default: ",
		"| `ChatModeSet` | `Chat.SetMode` | assumed | the dlive.tv web client (WEB), src/graphql/mutations/ChatModeSet.graphql. | not recorded |",
	} {
		if !strings.Contains(string(got), row) {
			t.Errorf("the report has no line with %q", row)
		}
	}
	if d, l := strings.Index(string(got), "## DLive"), strings.Index(string(got), "## Livepush"); d < 0 || l < d {
		t.Errorf("providers not in order: DLive at %d, Livepush at %d", d, l)
	}
}
