package livestorm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
)

// Livestorm's API speaks JSON:API: a resource is {id, type, attributes,
// relationships} and every body is a {data} document. The package's types
// are flat (see resources_gen.go); these are the wire shapes they are
// written as and read from.

// document is a JSON:API document.
type document struct {
	Data any `json:"data"`
}

// resource is a JSON:API resource object.
type resource[T any] struct {
	ID            string `json:"id,omitempty"`
	Type          string `json:"type"`
	Attributes    T      `json:"attributes"`
	Relationships any    `json:"relationships,omitempty"`
}

// identifier is a resource identifier with the extra members a link
// carries (a session's person and their role).
type identifier[T any] struct {
	Type, ID string
	Fields   T
}

func (i identifier[T]) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(i.Fields)
	if err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return nil, err
	}
	if members == nil {
		members = map[string]json.RawMessage{}
	}
	members["type"], _ = json.Marshal(i.Type)
	members["id"], _ = json.Marshal(i.ID)
	return json.Marshal(members)
}

// nonEmpty drops the relationships a request leaves empty (each is a
// slice), and returns nil when none is left.
func nonEmpty(rels map[string]any) any {
	for k, v := range rels {
		if rv := reflect.ValueOf(v); rv.Kind() != reflect.Slice || rv.Len() == 0 {
			delete(rels, k)
		}
	}
	if len(rels) == 0 {
		return nil
	}
	return rels
}

// decodeResource reads a flat type from b: a JSON:API resource object,
// whose attributes go into fields, or the flat type's own encoding. id and
// rels (nil when the type has no relationships) receive the resource's id
// and the ids of its relationships.
func decodeResource(b []byte, fields any, id *string, rels *map[string][]string) error {
	if decodeResourceObject(b, false, fields, id, rels) {
		return nil
	}
	return decodeResourceOrFlat(b, fields, id, rels)
}

// decodeResourceOrFlat is decodeResource for every input: it tells a
// resource object from a flat encoding first, then decodes the attributes
// and the relationships each again.
func decodeResourceOrFlat(b []byte, fields any, id *string, rels *map[string][]string) error {
	var r struct {
		ID            *string                    `json:"id"`
		Type          *string                    `json:"type"`
		Attributes    json.RawMessage            `json:"attributes"`
		Relationships map[string]json.RawMessage `json:"relationships"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	// A resource object has a type and, nearly always, attributes; the
	// flat encoding has neither, unless an attribute is named type, so
	// without attributes the members decide.
	if r.Type == nil || r.Attributes == nil && !resourceMembers(b) {
		return json.Unmarshal(b, fields) // the flat encoding
	}
	// JSON:API makes attributes optional.
	if r.Attributes != nil && !bytes.Equal(bytes.TrimSpace(r.Attributes), []byte("null")) {
		if err := json.Unmarshal(r.Attributes, fields); err != nil {
			return err
		}
	}
	if r.ID != nil {
		*id = *r.ID
	}
	if rels == nil || len(r.Relationships) == 0 {
		return nil
	}
	*rels = make(map[string][]string, len(r.Relationships))
	for name, raw := range r.Relationships {
		ids, err := relationshipIDs(raw)
		if err != nil {
			return fmt.Errorf("relationship %q: %w", name, err)
		}
		(*rels)[name] = ids
	}
	return nil
}

// decodeResourceObject decodes b in one pass when it is what the API
// sends, a resource object with a type and attributes (or, inDocument, a
// document whose data is one), and fields hold nothing yet; it reports
// whether it did. Anything else, errors included, leaves fields, id and
// rels as they were for the general path. Each nested json.Unmarshal
// validates its input again, so one pass is what keeps a webhook delivery
// cheap.
func decodeResourceObject(b []byte, inDocument bool, fields any, id *string, rels *map[string][]string) bool {
	dst := reflect.ValueOf(fields).Elem()
	if !dst.IsZero() {
		return false // the attributes must merge into what fields hold
	}
	// The attributes decode into a value of their own, allocated only if
	// the member holds an object, so that a flat encoding or an error
	// leaves fields untouched.
	attrs := reflect.New(reflect.PointerTo(dst.Type()))
	r := resourceObject{Attributes: attrs.Interface()}
	var into any = &r
	if inDocument {
		into = &struct {
			Data *resourceObject `json:"data"`
		}{&r}
	}
	if json.Unmarshal(b, into) != nil || r.Type == nil || attrs.Elem().IsNil() {
		return false
	}
	dst.Set(attrs.Elem().Elem())
	if r.ID != nil {
		*id = *r.ID
	}
	if rels != nil && len(r.Relationships) > 0 {
		*rels = make(map[string][]string, len(r.Relationships))
		for name, rel := range r.Relationships {
			(*rels)[name] = rel.Data
		}
	}
	return true
}

// resourceObject is a resource object as decodeResourceObject reads it.
type resourceObject struct {
	ID            *string `json:"id"`
	Type          *string `json:"type"`
	Attributes    any     `json:"attributes"` // a **fields, set when an object
	Relationships map[string]struct {
		Data identifiers `json:"data"`
	} `json:"relationships"`
}

// identifiers are the ids of a relationship's data.
type identifiers []string

func (ids *identifiers) UnmarshalJSON(data []byte) (err error) {
	*ids, err = dataIDs(data)
	return err
}

// resourceMembers reports whether b, an object, has only the members of a
// resource object, so that a flat encoding whose attributes include a
// "type" is not taken for one.
func resourceMembers(b []byte) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil {
		return false
	}
	for k := range members {
		switch k {
		case "id", "type", "attributes", "relationships", "links", "meta":
		default:
			return false
		}
	}
	return true
}

// relationshipIDs reads the ids of a relationship: {data: identifier},
// {data: [identifiers]} or {data: null}.
func relationshipIDs(raw json.RawMessage) ([]string, error) {
	var rel struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &rel); err != nil {
		return nil, err
	}
	return dataIDs(rel.Data)
}

// dataIDs reads the ids of a relationship's data: an identifier, an array
// of identifiers, null or nothing.
func dataIDs(data []byte) ([]string, error) {
	data = bytes.TrimSpace(data)
	type ident struct {
		ID string `json:"id"`
	}
	switch {
	case len(data) == 0 || bytes.Equal(data, []byte("null")):
		return nil, nil
	case data[0] == '[':
		var many []ident
		if err := json.Unmarshal(data, &many); err != nil {
			return nil, err
		}
		ids := make([]string, len(many))
		for i, x := range many {
			ids[i] = x.ID
		}
		return ids, nil
	}
	var one ident
	if err := json.Unmarshal(data, &one); err != nil {
		return nil, err
	}
	return []string{one.ID}, nil
}
