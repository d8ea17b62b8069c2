package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// A JSON:API provider (Livestorm) sends every resource as
// {id, type, attributes, relationships} inside a {data} document. Its
// package shows none of that: each resource is one flat struct (its id,
// its attributes as fields, its relationships as ids), and each request
// body is one flat struct whose MarshalJSON writes the document, data.type
// included. The spec keeps the wire shapes, which its sandbox serves and
// validates; oapi-codegen leaves them out of the package (exclude-schemas
// in specs/oapi/<provider>.yaml), and this file writes the flat types.

// flatKind is how a flat type sits on the wire.
type flatKind int

const (
	flatResource flatKind = iota // an answer's resource: {id, type, attributes, relationships}
	flatRequest                  // a request body: {data: {type, attributes, relationships}}
	flatNested                   // a resource inside a request's relationships: {type, attributes}
	flatLink                     // a link inside a request's relationships: {data: {type, id, …}}
)

// flatType is one flat struct and the wire schemas it stands for.
type flatType struct {
	name     string // Go name
	kind     flatKind
	resource string // the {type, attributes…} schema (the identifier, for a link)
	jsonType string // JSON:API type, such as "events"
	doc      string
	patch    bool // a PATCH body: every field a pointer, so unset is not zero
}

// jsonAPI holds a JSON:API provider's flat types.
type jsonAPI struct {
	g       *facadeGen
	types   []*flatType
	byWire  map[string]*flatType // wire schema name → its flat type
	wire    map[string]bool      // schemas the package leaves out
	enums   map[string][]any     // enum types the flat fields need → values
	consts  map[string][]string  // enum type → x-enum-varnames
	enumDoc map[string]string
}

func (g *facadeGen) schema(name string) *openapi3.Schema {
	if s, ok := g.spec.Doc.Components.Schemas[name]; ok {
		return s.Value
	}
	return nil
}

func refName(r *openapi3.SchemaRef) string {
	if r == nil || r.Ref == "" {
		return ""
	}
	return r.Ref[strings.LastIndex(r.Ref, "/")+1:]
}

// resourceLike reports whether a schema is a JSON:API resource object
// whose attributes are a named schema.
func (g *facadeGen) resourceLike(name string) bool {
	s := g.schema(name)
	return s != nil && s.Properties["type"] != nil && refName(s.Properties["attributes"]) != ""
}

// jsonTypeOf is the JSON:API type a resource schema names: its type
// property's one enum value, or its example.
func jsonTypeOf(s *openapi3.Schema) (string, error) {
	t := s.Properties["type"].Value
	if len(t.Enum) == 1 {
		return fmt.Sprint(t.Enum[0]), nil
	}
	if ex, ok := t.Example.(string); ok {
		return ex, nil
	}
	return "", fmt.Errorf("its type property has neither one enum value nor an example")
}

// loadJSONAPI finds the flat types of the spec.
func loadJSONAPI(g *facadeGen) (*jsonAPI, error) {
	j := &jsonAPI{g: g, byWire: map[string]*flatType{}, wire: map[string]bool{}, enums: map[string][]any{},
		consts: map[string][]string{}, enumDoc: map[string]string{}}
	add := func(name string, kind flatKind, resource, doc string, wire ...string) error {
		s := g.schema(resource)
		jt, err := jsonTypeOf(s)
		if err != nil {
			return fmt.Errorf("schema %s: %w", resource, err)
		}
		f := &flatType{name: name, kind: kind, resource: resource, jsonType: jt, doc: doc}
		j.types = append(j.types, f)
		for _, w := range wire {
			j.byWire[w] = f
			j.wire[w] = true
		}
		return nil
	}
	names := make([]string, 0, len(g.spec.Doc.Components.Schemas))
	for n := range g.spec.Doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	// Request bodies: {data: <resource>}.
	for _, o := range g.spec.Ops {
		if o.Op.RequestBody == nil {
			continue
		}
		for _, m := range o.Op.RequestBody.Value.Content {
			doc := refName(m.Schema)
			if f := j.byWire[doc]; f != nil {
				f.patch = f.patch || o.Method == "PATCH"
				continue
			}
			if doc == "" {
				continue
			}
			data := refName(g.schema(doc).Properties["data"])
			if data == "" || !g.resourceLike(data) {
				continue
			}
			if err := add(doc, flatRequest, data, g.schema(doc).Description, doc, data); err != nil {
				return nil, err
			}
			j.byWire[doc].patch = o.Method == "PATCH"
		}
	}
	// Answers' resources, and the documents that carry them.
	for _, n := range names {
		s := g.schema(n)
		if j.wire[n] || !g.resourceLike(n) || s.Properties["id"] == nil {
			continue
		}
		if err := add(g.modelName(n), flatResource, n, s.Description, n); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		data := g.schema(n).Properties["data"]
		if data == nil {
			continue
		}
		item := refName(data)
		if item == "" && data.Value.Items != nil {
			item = refName(data.Value.Items)
		}
		if f := j.byWire[item]; f != nil && f.kind == flatResource {
			j.wire[n] = true
		}
	}
	// Relationships of requests: nested resources and links.
	for _, f := range slices.Clone(j.types) {
		rels := refName(g.schema(f.resource).Properties["relationships"])
		if rels == "" || rels == "Relationships" {
			continue
		}
		j.wire[rels] = true
		for _, p := range g.schema(rels).Properties {
			if p.Value.Items == nil {
				return nil, fmt.Errorf("schema %s: a relationship must be an array of a named schema", rels)
			}
			item := refName(p.Value.Items)
			if j.byWire[item] != nil {
				continue
			}
			switch {
			case g.resourceLike(item):
				if err := add(g.modelName(item), flatNested, item, g.schema(item).Description, item); err != nil {
					return nil, err
				}
			case refName(g.schema(item).Properties["data"]) != "":
				ident := refName(g.schema(item).Properties["data"])
				if err := add(g.modelName(item), flatLink, ident, g.schema(ident).Description, item, ident); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("schema %s: relationship item %s is neither a resource nor a link", rels, item)
			}
		}
	}
	// The attributes of every resource, and the generic shapes only
	// documents use, are wire too.
	// An attributes schema that is also an item elsewhere (a bulk
	// registration's tasks) stays a model.
	usedAsValue := map[string]bool{}
	for _, s := range g.spec.Doc.Components.Schemas {
		for p, ref := range s.Value.Properties {
			if p == "attributes" {
				continue
			}
			usedAsValue[refName(ref)] = true
			if ref.Value.Items != nil {
				usedAsValue[refName(ref.Value.Items)] = true
			}
		}
	}
	for _, f := range j.types {
		if a := refName(g.schema(f.resource).Properties["attributes"]); a != "" && !usedAsValue[a] {
			j.wire[a] = true
		}
	}
	for _, n := range []string{"Relationships", "IncludedResource", "PageMeta"} {
		if g.schema(n) != nil {
			j.wire[n] = true
		}
	}
	sort.Slice(j.types, func(a, b int) bool { return j.types[a].name < j.types[b].name })
	return j, j.checkExcluded()
}

// checkExcluded fails unless oapi-codegen's configuration leaves out
// exactly the wire schemas, and no schema it keeps refers to one.
func (j *jsonAPI) checkExcluded() error {
	g := j.g
	var want []string
	for n := range j.wire {
		want = append(want, n)
	}
	sort.Strings(want)
	got, err := excludedSchemas("specs/oapi/" + g.p.name + ".yaml")
	if err != nil {
		return err
	}
	if !slices.Equal(want, got) {
		return fmt.Errorf("specs/oapi/%s.yaml: output-options.exclude-schemas must list the JSON:API wire schemas, which the package shows flat:\n  want %v\n  have %v", g.p.name, want, got)
	}
	for n, s := range g.spec.Doc.Components.Schemas {
		if j.wire[n] {
			continue
		}
		for p, ref := range s.Value.Properties {
			r := refName(ref)
			if ref.Value.Items != nil && r == "" {
				r = refName(ref.Value.Items)
			}
			if j.wire[r] {
				if _, flat := j.byWire[r]; !flat || j.byWire[r].kind != flatResource {
					return fmt.Errorf("schema %s: property %s refers to the wire schema %s", n, p, r)
				}
			}
		}
	}
	return nil
}

// write returns the flat types' Go source.
func (j *jsonAPI) write() ([]byte, error) {
	var body bytes.Buffer
	for _, f := range j.types {
		if err := j.writeType(&body, f); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	j.writeEnums(&body)
	used, err := usedPackages(body.String())
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\npackage %s\n\nimport (\n\t\"encoding/json\"\n", header(j.g.p.specPath), j.g.p.name)
	if used["time"] {
		b.WriteString("\t\"time\"\n")
	}
	b.WriteString(")\n\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// field is one field of a flat type.
type flatField struct {
	name, typ, wire, doc string
}

func (j *jsonAPI) writeType(b *bytes.Buffer, f *flatType) error {
	g := j.g
	res := g.schema(f.resource)
	write := f.kind != flatResource
	var fields []flatField
	switch f.kind {
	case flatResource:
		fields = append(fields, flatField{name: "ID", typ: "string", wire: "id", doc: fmt.Sprintf("ID is the %s resource's id.", f.jsonType)})
	case flatLink:
		fields = append(fields, flatField{name: "ID", typ: "string", doc: fmt.Sprintf("ID is the id of the %s resource.", f.jsonType)})
	}
	attrs := res
	if a := refName(res.Properties["attributes"]); a != "" {
		attrs = g.schema(a)
	}
	var attrFields []flatField
	for _, p := range sortedKeys(attrs.Properties) {
		if attrs == res && (p == "id" || p == "type") {
			continue
		}
		ref := attrs.Properties[p]
		name := goName(p)
		if n, ok := ref.Value.Extensions["x-go-name"].(string); ok {
			name = n
		}
		typ, err := j.fieldType(ref, f.name+name)
		if err != nil {
			return fmt.Errorf("attribute %s: %w", p, err)
		}
		collection := strings.HasPrefix(typ, "[]") || strings.HasPrefix(typ, "map[")
		if write && (f.patch || typ == "bool" && !collection) {
			typ = "*" + typ
		}
		tag := p
		if write {
			tag += ",omitempty"
		}
		attrFields = append(attrFields, flatField{name: name, typ: typ, wire: tag, doc: ref.Value.Description})
	}
	fields = append(fields, attrFields...)
	var relFields []flatField
	if rels := refName(res.Properties["relationships"]); rels == "Relationships" {
		relFields = append(relFields, flatField{name: "Relationships", typ: "map[string][]string", wire: "relationships,omitempty",
			doc: "Relationships holds the ids of related resources, by relation name."})
	} else if rels != "" {
		for _, p := range sortedKeys(g.schema(rels).Properties) {
			ref := g.schema(rels).Properties[p]
			item := j.byWire[refName(ref.Value.Items)]
			doc := ref.Value.Description
			if doc == "" {
				doc = fmt.Sprintf("%s are sent as the request's %s relationship.", goName(p), p)
			}
			relFields = append(relFields, flatField{name: goName(p), typ: "[]" + item.name, wire: p, doc: doc})
		}
	}
	fields = append(fields, relFields...)

	comment(b, "", f.name+" is "+lowerFirst(strings.TrimSuffix(oneLineAll(f.doc), "."))+".")
	fmt.Fprintf(b, "type %s struct {\n", f.name)
	for _, fl := range fields {
		if fl.doc != "" {
			comment(b, "\t", fl.doc)
		}
		tag := "-"
		if fl.wire != "" && (f.kind == flatResource || !slices.Contains(relFields, fl)) {
			tag = fl.wire
		}
		fmt.Fprintf(b, "\t%s %s `json:%q`\n", fl.name, fl.typ, tag)
	}
	b.WriteString("}\n\n")

	// The wire form.
	relsExpr := "nil"
	if len(relFields) > 0 {
		var parts []string
		for _, r := range relFields {
			parts = append(parts, fmt.Sprintf("%q: x.%s", r.wire, r.name))
		}
		relsExpr = "nonEmpty(map[string]any{" + strings.Join(parts, ", ") + "})"
	}
	switch f.kind {
	case flatResource:
		fmt.Fprintf(b, "// UnmarshalJSON reads x from a JSON:API resource object, as the API sends\n// it, or from x's own JSON encoding.\nfunc (x *%s) UnmarshalJSON(b []byte) error {\n", f.name)
		fmt.Fprintf(b, "\ttype fields %s\n\treturn decodeResource(b, (*fields)(x), &x.ID, ", f.name)
		if len(relFields) > 0 {
			b.WriteString("&x.Relationships)\n}\n\n")
		} else {
			b.WriteString("nil)\n}\n\n")
		}
	case flatRequest, flatNested:
		what, wrap := "a JSON:API resource object", "r"
		if f.kind == flatRequest {
			what, wrap = "the JSON:API document of a request, data.type included", "document{Data: r}"
		}
		fmt.Fprintf(b, "// MarshalJSON writes x as %s.\nfunc (x %s) MarshalJSON() ([]byte, error) {\n", what, f.name)
		fmt.Fprintf(b, "\ttype attributes %s\n\tr := resource[attributes]{Type: %q, Attributes: attributes(x), Relationships: %s}\n\treturn json.Marshal(%s)\n}\n\n", f.name, f.jsonType, relsExpr, wrap)
		// And back, so that a body survives a round trip.
		var rels strings.Builder
		for _, r := range relFields {
			fmt.Fprintf(&rels, "\t\t%s %s `json:%q`\n", r.name, r.typ, r.wire)
		}
		fmt.Fprintf(b, "// UnmarshalJSON reads x from %s.\nfunc (x *%s) UnmarshalJSON(b []byte) error {\n", what, f.name)
		fmt.Fprintf(b, "\ttype attributes %s\n\tvar r struct {\n\t\tAttributes *attributes `json:\"attributes\"`\n\t\tRelationships struct {\n%s\t\t} `json:\"relationships\"`\n\t}\n\tr.Attributes = (*attributes)(x)\n", f.name, rels.String())
		if f.kind == flatRequest {
			b.WriteString("\tif err := json.Unmarshal(b, &document{Data: &r}); err != nil {\n\t\treturn err\n\t}\n")
		} else {
			b.WriteString("\tif err := json.Unmarshal(b, &r); err != nil {\n\t\treturn err\n\t}\n")
		}
		for _, r := range relFields {
			fmt.Fprintf(b, "\tx.%s = r.Relationships.%s\n", r.name, r.name)
		}
		b.WriteString("\treturn nil\n}\n\n")
	case flatLink:
		fmt.Fprintf(b, "// MarshalJSON writes x as a JSON:API relationship: {data: {type, id, …}}.\nfunc (x %s) MarshalJSON() ([]byte, error) {\n", f.name)
		fmt.Fprintf(b, "\ttype fields %s\n\treturn json.Marshal(document{Data: identifier[fields]{Type: %q, ID: x.ID, Fields: fields(x)}})\n}\n\n", f.name, f.jsonType)
		fmt.Fprintf(b, "// UnmarshalJSON reads x from a JSON:API relationship.\nfunc (x *%s) UnmarshalJSON(b []byte) error {\n", f.name)
		fmt.Fprintf(b, "\ttype fields %s\n\tvar data struct {\n\t\tID string `json:\"id\"`\n\t\t*fields\n\t}\n\tdata.fields = (*fields)(x)\n", f.name)
		b.WriteString("\tif err := json.Unmarshal(b, &document{Data: &data}); err != nil {\n\t\treturn err\n\t}\n\tx.ID = data.ID\n\treturn nil\n}\n\n")
	}
	return nil
}

// fieldType is the Go type of a flat field; an inline enum becomes a
// named type, x-go-type-name or inline.
func (j *jsonAPI) fieldType(ref *openapi3.SchemaRef, inline string) (string, error) {
	s := ref.Value
	if ref.Ref == "" && len(s.Enum) > 0 && s.Type.Is("string") {
		name := inline
		if n, ok := s.Extensions["x-go-type-name"].(string); ok {
			name = n
		}
		if _, ok := j.enums[name]; !ok {
			j.enums[name] = s.Enum
			j.enumDoc[name] = s.Description
			if vs, ok := s.Extensions["x-enum-varnames"].([]any); ok {
				for _, v := range vs {
					j.consts[name] = append(j.consts[name], fmt.Sprint(v))
				}
			}
		}
		return name, nil
	}
	if r := refName(ref); r != "" {
		if f := j.byWire[r]; f != nil {
			return f.name, nil
		}
	}
	if ref.Ref == "" && s.Type.Is("array") && s.Items != nil {
		t, err := j.fieldType(s.Items, inline)
		return "[]" + t, err
	}
	return j.g.goType(ref, inline)
}

func (j *jsonAPI) writeEnums(b *bytes.Buffer) {
	for _, name := range sortedKeys(j.enums) {
		comment(b, "", name+" is "+lowerFirst(strings.TrimSuffix(oneLineAll(j.enumDoc[name]), "."))+".")
		fmt.Fprintf(b, "type %s string\n\n// The values of %s.\nconst (\n", name, name)
		for i, v := range j.enums[name] {
			c := name + goName(fmt.Sprint(v))
			if vs := j.consts[name]; i < len(vs) {
				c = name + strings.TrimPrefix(vs[i], name)
			}
			fmt.Fprintf(b, "\t%s %s = %q\n", c, name, fmt.Sprint(v))
		}
		b.WriteString(")\n\n")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func lowerFirst(s string) string {
	if s == "" || len(s) > 1 && unicode.IsUpper(rune(s[0])) && unicode.IsUpper(rune(s[1])) { // an initialism
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func oneLineAll(s string) string { return strings.Join(strings.Fields(s), " ") }

// excludedSchemas reads output-options.exclude-schemas of an oapi-codegen
// configuration.
func excludedSchemas(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		OutputOptions struct {
			ExcludeSchemas []string `yaml:"exclude-schemas"`
		} `yaml:"output-options"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := slices.Clone(cfg.OutputOptions.ExcludeSchemas)
	sort.Strings(out)
	return out, nil
}
