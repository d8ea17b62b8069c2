package apispec

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// Each list operation's Paging carries its style and the names the spec
// declares for that style, whatever they are.
func TestLoadReadsPagination(t *testing.T) {
	s, err := Load(t.Context(), "testdata/paged.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Pagination{}
	for _, o := range s.Ops {
		got[o.ID] = o.Paging
	}
	want := map[string]*Pagination{
		"listStreams": {Style: PageNumber, PageParam: "page[number]", SizeParam: "page[size]", CurrentField: "meta.current", NextField: "meta.next"},
		"listClips":   {Style: JSendPages, PageParam: "page", SizeParam: "per", CurrentField: "paging.at", TotalPagesField: "paging.pages"},
		"listTags":    {Style: Unpaged},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Paging (-want +got):\n%s", d)
	}
}

// A spec whose pagination the generator could not follow is refused,
// saying what is wrong.
func TestCheckRefusesPagination(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*openapi3.T)
		wants string
	}{
		{"unknown style", func(d *openapi3.T) { op(d, "/tags").Extensions["x-onair-pagination"] = "pages" }, `needs x-onair-pagination, one of [none page-number jsend-pages relay]; has "pages"`},
		{"provider name", func(d *openapi3.T) { op(d, "/streams").Extensions["x-onair-pagination"] = "livestorm" }, `has "livestorm"`},
		{"list without style", func(d *openapi3.T) { delete(op(d, "/tags").Extensions, "x-onair-pagination") }, `GET /tags: a list result needs x-onair-pagination`},
		{"style on a non-list", func(d *openapi3.T) {
			op(d, "/tags").Extensions["x-onair-result"] = map[string]any{"schema": "Stream", "path": ""}
		}, "GET /tags: x-onair-pagination on an operation whose x-onair-result is not a list"},
		{"style not declared", func(d *openapi3.T) { delete(styleDecls(d), "jsend-pages") }, "GET /clips: x-onair-pagination jsend-pages needs its names in the spec's x-onair-pagination-styles.jsend-pages"},
		{"declaration for a style without names", func(d *openapi3.T) { styleDecls(d)["relay"] = map[string]any{} }, `"relay" is not a style that takes names`},
		{"missing name", func(d *openapi3.T) { delete(styleDecls(d)["page-number"].(map[string]any), "next") }, "x-onair-pagination-styles.page-number has no next"},
		{"unknown name", func(d *openapi3.T) { styleDecls(d)["page-number"].(map[string]any)["last"] = "meta.last" }, `x-onair-pagination-styles.page-number: unknown key "last"`},
		{"parameter the operation lacks", func(d *openapi3.T) { styleDecls(d)["jsend-pages"].(map[string]any)["size"] = "perpage" }, `GET /clips: x-onair-pagination jsend-pages pages with the query parameter "perpage"`},
		// The generated page methods read these as Go ints.
		{"parameter not an integer", func(d *openapi3.T) {
			per := op(d, "/clips").Parameters[1].Value
			per.Schema.Value.Type, per.Example = &openapi3.Types{"string"}, "ten"
		}, `GET /clips: x-onair-pagination jsend-pages pages with the query parameter "per", which is not an integer`},
		{"field not an integer", func(d *openapi3.T) {
			op(d, "/streams").Responses.Status(200).Value.Content["application/json"].Schema.Value.Properties["meta"].Value.Properties["next"].Value.Type = &openapi3.Types{"string"}
		}, `GET /streams: x-onair-pagination page-number reads the answer's "meta.next", which is not an integer`},
		{"field the schema lacks", func(d *openapi3.T) { styleDecls(d)["page-number"].(map[string]any)["next"] = "meta.next_page" }, `GET /streams: x-onair-pagination page-number reads the answer's "meta.next_page"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := openapi3.NewLoader().LoadFromFile("testdata/paged.yaml")
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(doc)
			_, err = Check(t.Context(), "paged.yaml", doc)
			if err == nil || !strings.Contains(err.Error(), tc.wants) {
				t.Errorf("err = %v; want one saying %q", err, tc.wants)
			}
		})
	}
}

func op(d *openapi3.T, path string) *openapi3.Operation { return d.Paths.Value(path).Get }

func styleDecls(d *openapi3.T) map[string]any {
	return d.Extensions["x-onair-pagination-styles"].(map[string]any)
}
