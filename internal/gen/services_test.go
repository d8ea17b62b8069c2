package main

import (
	"go/format"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// answerStruct builds the Go type of a paged answer from the paths the
// spec names, nesting shared prefixes, and refuses paths it cannot hold.
func TestAnswerStruct(t *testing.T) {
	leaves := []answerLeaf{{"meta.current_page", "Current", "*int"}, {"meta.next_page", "Next", "*int"}}
	got, sel, err := answerStruct("data", "[]Event", leaves)
	if err != nil {
		t.Fatal(err)
	}
	src, err := format.Source([]byte("var out " + got))
	if err != nil {
		t.Fatalf("%v:\n%s", err, got)
	}
	want := "var out struct {\n" +
		"\tItems []Event `json:\"data\"`\n" +
		"\tMeta  struct {\n" +
		"\t\tCurrent *int `json:\"current_page\"`\n" +
		"\t\tNext    *int `json:\"next_page\"`\n" +
		"\t} `json:\"meta\"`\n" +
		"}"
	if d := cmp.Diff(want, string(src)); d != "" {
		t.Errorf("type (-want +got):\n%s", d)
	}
	wantSel := map[string]string{"Items": "out.Items", "Current": "out.Meta.Current", "Next": "out.Meta.Next"}
	if d := cmp.Diff(wantSel, sel); d != "" {
		t.Errorf("selectors (-want +got):\n%s", d)
	}

	for _, tc := range []struct {
		name, items string
		leaves      []answerLeaf
		says        string
	}{
		{"items are the answer", "", leaves, "not the answer itself"},
		{"a leaf where the items are", "data", []answerLeaf{{"data", "Next", "*int"}}, `"data" holds two things`},
		{"a path through a leaf", "data", []answerLeaf{{"data.next", "Next", "*int"}}, `"data.next" holds two things`},
		{"two keys, one Go name", "data", []answerLeaf{{"page_info.next", "Next", "*int"}, {"pageInfo.total", "TotalPages", "*int"}}, "both PageInfo in Go"},
	} {
		if _, _, err := answerStruct(tc.items, "[]Event", tc.leaves); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: err = %v; want one saying %q", tc.name, err, tc.says)
		}
	}
}
