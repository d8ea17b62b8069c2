// Package jsonschema checks raw JSON against an OpenAPI 3.0 schema in one
// pass over the bytes, giving the verdict kin-openapi's
// openapi3.Schema.VisitJSON gives for an answer (VisitAsResponse) decoded
// with json.Decoder.UseNumber, as openapi3filter.ValidateResponse does,
// without decoding the answer into a tree first.
//
// Compile refuses a schema that uses a keyword it does not check, so a
// schema is never accepted more loosely than kin-openapi would.
//
// Where the two differ on purpose: the input must be exactly one JSON
// value (kin-openapi's decoder ignores what follows the first value) and
// valid UTF-8 (encoding/json replaces bad bytes with U+FFFD). String
// formats are checked as kin-openapi checks them by default (date,
// date-time, byte; int32 and int64 on integers); formats it leaves
// unchecked (email, uri, uuid, double...) are unchecked here too, and a
// format kin-openapi is later told to check is not seen.
package jsonschema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// kind is a set of JSON types a schema permits.
type kind uint8

const (
	kindBoolean kind = 1 << iota
	kindInteger
	kindNumber
	kindString
	kindArray
	kindObject
)

// node is one compiled schema.
type node struct {
	empty    bool // kin-openapi's IsEmpty: anything but null
	nullable bool
	types    kind
	typeName string // for errors

	allOf, anyOf, oneOf []*node

	enum []any // string, float64, bool or nil

	// numbers
	intFormat  string // "int32" or "int64" when the format is checked
	min, max   float64
	hasMin     bool
	hasMax     bool
	exclMin    bool
	exclMax    bool
	minLength  uint64
	maxLength  uint64
	hasMaxLen  bool
	strFormat  func([]byte) bool
	formatName string

	// arrays
	items     *node
	minItems  uint64
	maxItems  uint64
	hasMaxIts bool

	// objects
	props     map[string]int // name to index in propNodes
	propNames []string
	propNodes []*node
	writeOnly []bool // per property
	required  []int  // indexes in propNodes of required members
	reqNames  []string
	extraNode *node // additionalProperties schema; nil for any
	noExtra   bool  // additionalProperties: false
	anyWO     bool
}

// Validator checks JSON documents against one compiled schema. It is safe
// for concurrent use.
type Validator struct {
	root *node
}

// Compile compiles s. The error names the first keyword it cannot check
// and where in the schema it is.
func Compile(s *openapi3.Schema) (*Validator, error) {
	c := &compiler{done: map[*openapi3.Schema]*node{}}
	n, err := c.compile(s, "#")
	if err != nil {
		return nil, err
	}
	return &Validator{root: n}, nil
}

type compiler struct {
	done map[*openapi3.Schema]*node
}

func (c *compiler) compile(s *openapi3.Schema, at string) (*node, error) {
	if s == nil {
		return nil, fmt.Errorf("jsonschema: %s: unresolved schema reference", at)
	}
	if n, ok := c.done[s]; ok {
		return n, nil // shared or recursive: compiled once
	}
	n := &node{}
	c.done[s] = n
	if err := unsupported(s); err != "" {
		return nil, fmt.Errorf("jsonschema: %s: keyword %s is not supported", at, err)
	}
	n.empty = s.IsEmpty()
	n.nullable = s.PermitsNull()
	for _, t := range []struct {
		name string
		k    kind
	}{{"boolean", kindBoolean}, {"integer", kindInteger}, {"number", kindNumber}, {"string", kindString}, {"array", kindArray}, {"object", kindObject}} {
		if s.Type.Permits(t.name) {
			n.types |= t.k
		}
	}
	if s.Type != nil {
		n.typeName = strings.Join(s.Type.Slice(), " or ")
	}
	var err error
	sub := func(refs openapi3.SchemaRefs, kw string) ([]*node, error) {
		var out []*node
		for i, r := range refs {
			m, err := c.compileRef(r, fmt.Sprintf("%s/%s/%d", at, kw, i))
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, nil
	}
	if n.allOf, err = sub(s.AllOf, "allOf"); err != nil {
		return nil, err
	}
	if n.anyOf, err = sub(s.AnyOf, "anyOf"); err != nil {
		return nil, err
	}
	if n.oneOf, err = sub(s.OneOf, "oneOf"); err != nil {
		return nil, err
	}
	for _, v := range s.Enum {
		switch v.(type) {
		case string, float64, bool, nil:
			n.enum = append(n.enum, v)
		default:
			return nil, fmt.Errorf("jsonschema: %s: keyword enum with a %T value is not supported", at, v)
		}
	}
	if err := c.format(n, s, at); err != nil {
		return nil, err
	}
	if s.Min != nil {
		n.min, n.hasMin = *s.Min, true
	}
	if s.Max != nil {
		n.max, n.hasMax = *s.Max, true
	}
	n.exclMin = s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool && s.Min != nil
	n.exclMax = s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool && s.Max != nil
	n.minLength = s.MinLength
	if s.MaxLength != nil {
		n.maxLength, n.hasMaxLen = *s.MaxLength, true
	}
	if s.Items != nil {
		if n.items, err = c.compileRef(s.Items, at+"/items"); err != nil {
			return nil, err
		}
	}
	n.minItems = s.MinItems
	if s.MaxItems != nil {
		n.maxItems, n.hasMaxIts = *s.MaxItems, true
	}
	if err := c.object(n, s, at); err != nil {
		return nil, err
	}
	return n, nil
}

func (c *compiler) compileRef(r *openapi3.SchemaRef, at string) (*node, error) {
	if r == nil || r.Value == nil {
		return nil, fmt.Errorf("jsonschema: %s: unresolved schema reference", at)
	}
	return c.compile(r.Value, at)
}

func (c *compiler) object(n *node, s *openapi3.Schema, at string) error {
	if len(s.Properties) > 0 {
		n.props = make(map[string]int, len(s.Properties))
		n.propNames = slices.Sorted(func(yield func(string) bool) {
			for k := range s.Properties {
				if !yield(k) {
					return
				}
			}
		})
		for i, name := range n.propNames {
			m, err := c.compileRef(s.Properties[name], at+"/properties/"+name)
			if err != nil {
				return err
			}
			n.props[name] = i
			n.propNodes = append(n.propNodes, m)
			wo := s.Properties[name].Value.WriteOnly
			n.writeOnly = append(n.writeOnly, wo)
			n.anyWO = n.anyWO || wo
		}
	}
	for _, name := range s.Required {
		i, ok := n.props[name]
		if !ok {
			// Required but not a property: tracked like one, checked
			// like any other member (propNodes[i] is nil).
			if n.props == nil {
				n.props = map[string]int{}
			}
			i = len(n.propNodes)
			n.props[name] = i
			n.propNames = append(n.propNames, name)
			n.propNodes = append(n.propNodes, nil)
			n.writeOnly = append(n.writeOnly, false)
		} else if n.writeOnly[i] {
			continue // a response may leave out a required writeOnly member
		}
		n.required = append(n.required, i)
		n.reqNames = append(n.reqNames, name)
	}
	ap := s.AdditionalProperties
	if ap.Has != nil && !*ap.Has {
		n.noExtra = true
	} else if ap.Schema != nil {
		m, err := c.compileRef(ap.Schema, at+"/additionalProperties")
		if err != nil {
			return err
		}
		n.extraNode = m
	}
	return nil
}

// unsupported names the first keyword of s that this package does not
// check, or "".
func unsupported(s *openapi3.Schema) string {
	switch {
	case s.Not != nil:
		return "not"
	case s.Discriminator != nil:
		return "discriminator"
	case s.UniqueItems:
		return "uniqueItems"
	case s.MultipleOf != nil:
		return "multipleOf"
	case s.Pattern != "":
		return "pattern"
	case s.MinProps != 0:
		return "minProperties"
	case s.MaxProps != nil:
		return "maxProperties"
	case s.Const != nil:
		return "const"
	case len(s.PrefixItems) > 0:
		return "prefixItems"
	case s.Contains != nil, s.MinContains != nil, s.MaxContains != nil:
		return "contains"
	case len(s.PatternProperties) > 0:
		return "patternProperties"
	case len(s.DependentSchemas) > 0:
		return "dependentSchemas"
	case s.PropertyNames != nil:
		return "propertyNames"
	case s.UnevaluatedItems.Schema != nil, s.UnevaluatedItems.Has != nil:
		return "unevaluatedItems"
	case s.UnevaluatedProperties.Schema != nil, s.UnevaluatedProperties.Has != nil:
		return "unevaluatedProperties"
	case s.If != nil, s.Then != nil, s.Else != nil:
		return "if"
	case len(s.DependentRequired) > 0:
		return "dependentRequired"
	case s.DynamicRef != "":
		return "$dynamicRef"
	case s.ContentMediaType != "" || s.ContentEncoding != "":
		return "contentMediaType"
	case s.ExclusiveMin.Value != nil:
		return "exclusiveMinimum (a number, OpenAPI 3.1)"
	case s.ExclusiveMax.Value != nil:
		return "exclusiveMaximum (a number, OpenAPI 3.1)"
	}
	return ""
}

// format compiles the checks kin-openapi makes by default for s.Format.
func (c *compiler) format(n *node, s *openapi3.Schema, at string) error {
	f := s.Format
	n.formatName = f
	switch f {
	case "":
	case "int32", "int64":
		n.intFormat = f
	case "date":
		n.strFormat = isDate
	case "date-time":
		n.strFormat = isDateTime
	case "byte":
		n.strFormat = isByte
	case "email", "uri", "uuid", "double", "float", "binary", "password", "hostname", "ipv4", "ipv6", "uri-reference", "srt":
		// kin-openapi checks none of these unless told to.
	default:
		return fmt.Errorf("jsonschema: %s: format %q is not known: add it to jsonschema's format list once kin-openapi's handling of it is checked", at, f)
	}
	return nil
}
