package apispec

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// PaginationStyle is how a list operation pages: the value of its
// x-onair-pagination. The styles are the wire conventions the generated
// clients and the fakes implement once each.
type PaginationStyle string

const (
	// Unpaged lists come whole in one answer.
	Unpaged PaginationStyle = "none"
	// PageNumber lists take a page number and size as query parameters and
	// answer with the page's number and the next page's, null after the
	// last (JSON:API meta).
	PageNumber PaginationStyle = "page-number"
	// JSendPages lists take a page number and size as query parameters and
	// answer in a JSend envelope whose pagination block counts the pages;
	// without the block, a short page is the last.
	JSendPages PaginationStyle = "jsend-pages"
	// Relay lists take first and after (an opaque cursor) and answer with
	// pageInfo { endCursor hasNextPage }. The GraphQL operations page this
	// way; no REST generator implements it yet.
	Relay PaginationStyle = "relay"
)

// paginationStyles lists the known styles.
var paginationStyles = []PaginationStyle{Unpaged, PageNumber, JSendPages, Relay}

// Pagination is how a list operation pages, with the names the spec
// declares for its style in x-onair-pagination-styles.
type Pagination struct {
	Style PaginationStyle

	// PageParam and SizeParam name the query parameters of the page number
	// (from 0) and of the items per page; page-number and jsend-pages only.
	PageParam, SizeParam string

	// The fields of the answer, as dot-separated paths from its top:
	// CurrentField is the number of the page answered (both styles),
	// NextField the next page's, null after the last (page-number), and
	// TotalPagesField counts the pages (jsend-pages).
	CurrentField, NextField, TotalPagesField string
}

// styleKeys are the keys x-onair-pagination-styles declares per style:
// the query parameters, then the answer's fields.
var styleKeys = map[PaginationStyle]struct{ params, fields []string }{
	PageNumber: {[]string{"page", "size"}, []string{"current", "next"}},
	JSendPages: {[]string{"page", "size"}, []string{"current", "totalPages"}},
}

// readPaginationStyles reads the spec's x-onair-pagination-styles: for
// each style that needs names, the names of its parameters and fields.
func readPaginationStyles(doc *openapi3.T, bad func(string, ...any)) map[PaginationStyle]map[string]string {
	styles := map[PaginationStyle]map[string]string{}
	raw, ok := doc.Extensions["x-onair-pagination-styles"]
	if !ok {
		return styles
	}
	m, ok := raw.(map[string]any)
	if !ok {
		bad("x-onair-pagination-styles is a %T, want a map of style to names", raw)
		return styles
	}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		style := PaginationStyle(name)
		keys, ok := styleKeys[style]
		if !ok {
			bad("x-onair-pagination-styles: %q is not a style that takes names; those are %v", name, slices.Sorted(maps.Keys(styleKeys)))
			continue
		}
		decl, ok := m[name].(map[string]any)
		if !ok {
			bad("x-onair-pagination-styles.%s is a %T, want a map of names", name, m[name])
			continue
		}
		want := append(slices.Clone(keys.params), keys.fields...)
		names := map[string]string{}
		for _, k := range slices.Sorted(maps.Keys(decl)) {
			v, _ := decl[k].(string)
			switch {
			case !slices.Contains(want, k):
				bad("x-onair-pagination-styles.%s: unknown key %q; it takes %v", name, k, want)
			case v == "":
				bad("x-onair-pagination-styles.%s.%s is not a non-empty string", name, k)
			default:
				names[k] = v
			}
		}
		for _, k := range want {
			if _, ok := decl[k]; !ok {
				bad("x-onair-pagination-styles.%s has no %s", name, k)
			}
		}
		styles[style] = names
	}
	return styles
}

// checkPagination reads x-onair-pagination into o.Paging and checks the
// operation has what its style names: the query parameters, and the
// fields in its success schema.
func checkPagination(o *Operation, item *openapi3.PathItem, styles map[PaginationStyle]map[string]string, where string, bad func(string, ...any)) {
	raw, ok := o.Op.Extensions["x-onair-pagination"]
	if o.Result == nil || !o.Result.List {
		if ok {
			bad("%s: x-onair-pagination on an operation whose x-onair-result is not a list", where)
		}
		return
	}
	name, _ := raw.(string)
	style := PaginationStyle(name)
	if !slices.Contains(paginationStyles, style) {
		bad("%s: a list result needs x-onair-pagination, one of %v; has %q", where, paginationStyles, name)
		return
	}
	p := &Pagination{Style: style}
	o.Paging = p
	keys, named := styleKeys[style]
	if !named {
		return
	}
	names, ok := styles[style]
	if !ok {
		bad("%s: x-onair-pagination %s needs its names in the spec's x-onair-pagination-styles.%s", where, style, style)
		return
	}
	p.PageParam, p.SizeParam = names["page"], names["size"]
	p.CurrentField, p.NextField, p.TotalPagesField = names["current"], names["next"], names["totalPages"]
	// The generated page methods read each of them as a Go int.
	for _, k := range keys.params {
		switch p := queryParam(item, o.Op, names[k]); {
		case p == nil:
			bad("%s: x-onair-pagination %s pages with the query parameter %q, which the operation does not have", where, style, names[k])
		case !isInteger(p.Schema):
			bad("%s: x-onair-pagination %s pages with the query parameter %q, which is not an integer", where, style, names[k])
		}
	}
	_, media := o.SuccessContent()
	for _, k := range keys.fields {
		var f *openapi3.SchemaRef
		if media != nil {
			f = field(media.Schema, names[k])
		}
		switch {
		case f == nil:
			bad("%s: x-onair-pagination %s reads the answer's %q, which the success schema does not declare", where, style, names[k])
		case !isInteger(f):
			bad("%s: x-onair-pagination %s reads the answer's %q, which is not an integer", where, style, names[k])
		}
	}
}

func queryParam(item *openapi3.PathItem, op *openapi3.Operation, name string) *openapi3.Parameter {
	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		if p.Value != nil && p.Value.In == "query" && p.Value.Name == name {
			return p.Value
		}
	}
	return nil
}

// field returns the schema of the dot-separated path of properties, nil
// when the schema does not declare it.
func field(s *openapi3.SchemaRef, path string) *openapi3.SchemaRef {
	for _, k := range strings.Split(path, ".") {
		if s == nil || s.Value == nil {
			return nil
		}
		s = s.Value.Properties[k]
	}
	return s
}

func isInteger(s *openapi3.SchemaRef) bool {
	return s != nil && s.Value != nil && s.Value.Type.Includes(openapi3.TypeInteger) // a 3.1 nullable one too
}

// SetField sets the field at path (dot-separated, as the styles declare
// their answer fields) in body, making the objects on the way.
func SetField(body map[string]any, path string, v any) {
	names := strings.Split(path, ".")
	for _, n := range names[:len(names)-1] {
		next, ok := body[n].(map[string]any)
		if !ok {
			next = map[string]any{}
			body[n] = next
		}
		body = next
	}
	body[names[len(names)-1]] = v
}
