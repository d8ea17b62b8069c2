package fidelity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// loadGraphQL reads the GraphQL schema beside a spec (specs/dlive.graphql
// beside specs/dlive.yaml), or returns nil if there is none.
func loadGraphQL(specPath string) (*ast.Schema, error) {
	path := strings.TrimSuffix(specPath, ".yaml") + ".graphql"
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(src)})
	if gerr != nil {
		return nil, fmt.Errorf("%s: %w", path, gerr)
	}
	return schema, nil
}

// checkGraphQL checks a GraphQL request against the schema and the
// answer's data against the request's selection: the envelope {data,
// errors} alone says nothing of an operation.
func checkGraphQL(schema *ast.Schema, reqBody, ansBody []byte) []Problem {
	var req struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if json.Unmarshal(reqBody, &req) != nil || req.Query == "" {
		return nil
	}
	doc, errs := gqlparser.LoadQuery(schema, req.Query)
	if len(errs) > 0 {
		return []Problem{{In: "request", Pointer: "/query", Reason: oneLine(errs[0].Message)}}
	}
	op := doc.Operations.ForName(req.OperationName)
	if op == nil {
		return []Problem{{In: "request", Pointer: "/operationName", Reason: fmt.Sprintf("the query has no operation %q", req.OperationName)}}
	}
	d := json.NewDecoder(bytes.NewReader(ansBody))
	d.UseNumber()
	var ans struct {
		Data   map[string]any    `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if d.Decode(&ans) != nil || ans.Data == nil {
		return nil // the envelope's own check says what is wrong
	}
	var out []Problem
	checkSelection(&out, "/data", op.SelectionSet, ans.Data, len(ans.Errors) > 0)
	return out
}

// checkSelection checks the object v against the fields sel selects; with
// partial, a field may be null or missing, as an answer with errors
// leaves it.
func checkSelection(out *[]Problem, ptr string, sel ast.SelectionSet, v map[string]any, partial bool) {
	typename, _ := v["__typename"].(string)
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			p := pointerTo(ptr, key)
			x, ok := v[key]
			if !ok {
				if !partial {
					*out = append(*out, Problem{In: "answer", Pointer: p, Reason: "the selected field is missing"})
				}
				continue
			}
			checkValue(out, p, s.Definition.Type, s.SelectionSet, x, partial)
		case *ast.InlineFragment:
			if typename == "" || typename == s.TypeCondition || s.TypeCondition == "" {
				checkSelection(out, ptr, s.SelectionSet, v, partial || typename == "")
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && (typename == "" || typename == s.Definition.TypeCondition) {
				checkSelection(out, ptr, s.Definition.SelectionSet, v, partial || typename == "")
			}
		}
	}
}

// checkValue checks x against the GraphQL type t.
func checkValue(out *[]Problem, ptr string, t *ast.Type, sel ast.SelectionSet, x any, partial bool) {
	bad := func(reason string) { *out = append(*out, Problem{In: "answer", Pointer: ptr, Reason: reason}) }
	if x == nil {
		if t.NonNull && !partial {
			bad("null, but the schema says " + t.String())
		}
		return
	}
	if t.Elem != nil {
		xs, ok := x.([]any)
		if !ok {
			bad("not a list, but the schema says " + t.String())
			return
		}
		for i, e := range xs {
			checkValue(out, ptr+"/"+strconv.Itoa(i), t.Elem, sel, e, partial)
		}
		return
	}
	if len(sel) > 0 {
		m, ok := x.(map[string]any)
		if !ok {
			bad("not an object, but the schema says " + t.Name())
			return
		}
		checkSelection(out, ptr, sel, m, partial)
		return
	}
	switch t.Name() {
	case "String", "ID":
		if _, ok := x.(string); !ok && t.Name() == "String" {
			bad("not a string")
		}
	case "Int":
		if n, ok := x.(json.Number); !ok || strings.ContainsAny(string(n), ".eE") {
			bad("not an integer")
		}
	case "Float":
		if _, ok := x.(json.Number); !ok {
			bad("not a number")
		}
	case "Boolean":
		if _, ok := x.(bool); !ok {
			bad("not a boolean")
		}
	}
}
