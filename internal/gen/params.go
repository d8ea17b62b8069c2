package main

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/onair-go/onair/internal/apispec"
)

// paramField is one query parameter of an operation, as a field of its
// params struct.
type paramField struct {
	wire     string // the parameter's name on the wire
	field    string // the Go field
	typ      string // the field's Go type
	doc      string
	required bool
	// pointer: optional with a default that is not the type's zero value,
	// so that sending the zero value can be told from leaving it out.
	pointer bool
	style   string
	explode bool
	schema  *openapi3.Schema
}

// set is the Go condition that the field holds a value to send.
func (f *paramField) set(v string) string {
	x := v + "." + f.field
	switch {
	case f.pointer:
		return x + " != nil"
	case strings.HasPrefix(f.typ, "[]"):
		return "len(" + x + ") > 0"
	case f.typ == "time.Time":
		return "!" + x + ".IsZero()"
	case f.typ == "bool":
		return x
	case f.schema.Type.Is("integer"), f.schema.Type.Is("number"):
		return x + " != 0"
	}
	return x + ` != ""`
}

// value is the Go expression of the field's value.
func (f *paramField) value(v string) string {
	if f.pointer {
		return "*" + v + "." + f.field
	}
	return v + "." + f.field
}

// params returns an operation's path parameters, in template order, and
// its query parameters as fields of its params struct.
func (g *facadeGen) params(o apispec.Operation) (path []string, query []*paramField, err error) {
	var all openapi3.Parameters
	if item := g.spec.Doc.Paths.Value(o.Path); item != nil {
		all = append(all, item.Parameters...)
	}
	all = append(all, o.Op.Parameters...)
	byName := map[string]*openapi3.Parameter{}
	for _, ref := range all {
		byName[ref.Value.In+" "+ref.Value.Name] = ref.Value
	}
	for _, m := range pathParam.FindAllString(o.Path, -1) {
		name := strings.Trim(m, "{}")
		p, ok := byName["path "+name]
		if !ok {
			return nil, nil, fmt.Errorf("path parameter %s is not declared", name)
		}
		if !p.Schema.Value.Type.Is("string") {
			return nil, nil, fmt.Errorf("path parameter %s is not a string: ids are strings", name)
		}
		path = append(path, name)
	}
	seen := map[string]bool{}
	for _, ref := range all {
		p := ref.Value
		if p.In != "query" || seen[p.Name] {
			if p.In == "header" || p.In == "cookie" {
				return nil, nil, fmt.Errorf("parameter %s is in the %s, which the generator does not send", p.Name, p.In)
			}
			continue
		}
		seen[p.Name] = true
		if opt, _ := p.Extensions["x-onair-query-option"].(bool); opt {
			continue // sent with onair.WithQuery; see CONVENTIONS.md
		}
		f := &paramField{wire: p.Name, required: p.Required, schema: p.Schema.Value, style: "form", explode: true, doc: p.Description}
		if name, ok := p.Extensions["x-go-name"].(string); ok {
			f.field = name
		} else {
			f.field = goName(p.Name)
		}
		if p.Style != "" {
			f.style = p.Style
		}
		if p.Explode != nil {
			f.explode = *p.Explode
		}
		if f.style != "form" {
			return nil, nil, fmt.Errorf("query parameter %s: style %q: apiclient.Query sends only form", p.Name, f.style)
		}
		if f.typ, err = g.goType(p.Schema, upperFirst(o.ID)+"Params"+f.field); err != nil {
			return nil, nil, fmt.Errorf("parameter %s: %w", p.Name, err)
		}
		f.pointer = !f.required && zeroMatters(f.schema)
		query = append(query, f)
	}
	return path, query, nil
}

// zeroMatters reports whether an optional parameter's zero value means
// something to the provider other than leaving it out: a boolean filter
// (false filters, absent does not), or a number whose zero is allowed and
// is not the default. Such a parameter is a pointer; any other is a value
// whose zero leaves it out.
func zeroMatters(s *openapi3.Schema) bool {
	isZero := func(v any) bool { return v != nil && reflect.ValueOf(v).IsZero() }
	switch {
	case s.Type.Is("boolean"):
		return !isZero(s.Default)
	case s.Type.Is("integer"), s.Type.Is("number"):
		if s.Min != nil && *s.Min > 0 || s.Max != nil && *s.Max < 0 {
			return false
		}
		return !isZero(s.Default)
	}
	return false
}

// goType is the Go type the models give a schema: the named type of a
// component, or the Go type of an inline one (inline is the name
// oapi-codegen gives an inline enum).
func (g *facadeGen) goType(ref *openapi3.SchemaRef, inline string) (string, error) {
	if ref.Ref != "" {
		return g.modelName(ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]), nil
	}
	s := ref.Value
	if t, ok := s.Extensions["x-go-type"].(string); ok {
		return t, nil
	}
	switch {
	case len(s.Enum) > 0:
		if n, ok := s.Extensions["x-go-type-name"].(string); ok {
			return n, nil
		}
		return inline, nil
	case s.Type.Is("string"):
		if s.Format == "date-time" {
			return "time.Time", nil
		}
		return "string", nil
	case s.Type.Is("integer"):
		switch s.Format {
		case "int64":
			return "int64", nil
		case "int32":
			return "int32", nil
		}
		return "int", nil
	case s.Type.Is("number"):
		if s.Format == "float" {
			return "float32", nil
		}
		return "float64", nil
	case s.Type.Is("boolean"):
		return "bool", nil
	case s.Type.Is("array"):
		t, err := g.goType(s.Items, inline)
		return "[]" + t, err
	case s.Type.Is("object") && len(s.Properties) == 0:
		// Free-form: its keys are the provider's to choose.
		return "map[string]any", nil
	}
	return "", fmt.Errorf("no Go type for an inline %v schema; name it in components", s.Type)
}

// modelName is the Go name oapi-codegen gives the component schema name.
func (g *facadeGen) modelName(name string) string {
	if s, ok := g.spec.Doc.Components.Schemas[name]; ok && s.Value != nil {
		if n, ok := s.Value.Extensions["x-go-name"].(string); ok {
			return n
		}
	}
	return goName(name)
}

// initialisms are written in capitals, as Go does and oapi-codegen's
// ToCamelCaseWithInitialisms does.
var initialisms = map[string]bool{"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IP": true, "JSON": true,
	"LHS": true, "QPS": true, "RAM": true, "RHS": true, "RPC": true, "SLA": true, "SMTP": true, "SQL": true,
	"SSH": true, "TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true,
	"URI": true, "URL": true, "UTM": true, "UTF8": true, "VM": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true}

// goName turns a wire name (snake, kebab, camel, bracketed) into an
// exported Go name with initialisms in capitals.
func goName(s string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 && (unicode.IsLower(cur[len(cur)-1]) ||
			i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(cur[len(cur)-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	var b strings.Builder
	for _, w := range words {
		if up := strings.ToUpper(w); initialisms[up] {
			b.WriteString(up)
			continue
		}
		if up := strings.ToUpper(strings.TrimSuffix(w, "s")); len(w) > 2 && strings.HasSuffix(w, "s") && initialisms[up] {
			b.WriteString(up + "s") // IDs, URLs
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}
