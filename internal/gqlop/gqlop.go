// Package gqlop reads the header of a GraphQL provider's operation
// documents (specs/<provider>/<Name>.graphql): the annotation on the first
// line that says how onair exposes the operation, and the comment lines
// under it. internal/gen generates the facades from it; the fidelity
// report lists the operations with it.
package gqlop

import (
	"bufio"
	"bytes"
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Prefix starts an operation document's first line:
//
//	# onair: service=<Service> method=<Method> scopes=<scope ...|-> evidence=<doc|third-party|assumed>
const Prefix = "# onair:"

// A Header is what an operation document says of itself before the
// operation.
type Header struct {
	Service, Method string
	Scopes          []string // all needed; nil for "scopes=-"
	Evidence        string
	Source          string   // the "# source:" line under the annotation, if any
	Doc             []string // description lines
}

var evidence = []string{"doc", "third-party", "assumed"}

// ReadHeader reads the header at the start of an operation document.
func ReadHeader(src []byte) (Header, error) {
	var h Header
	sc := bufio.NewScanner(bytes.NewReader(src))
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), Prefix) {
		return h, fmt.Errorf("the first line must be %q followed by service=, method=, scopes= and evidence=", Prefix)
	}
	fields, err := ParseAnnotation(strings.TrimPrefix(sc.Text(), Prefix))
	if err != nil {
		return h, err
	}
	h.Service, h.Method, h.Evidence = fields["service"], fields["method"], fields["evidence"]
	if !isExportedIdent(h.Service) || !isExportedIdent(h.Method) {
		return h, fmt.Errorf("service=%q and method=%q must be exported Go names", h.Service, h.Method)
	}
	if !slices.Contains(evidence, h.Evidence) {
		return h, fmt.Errorf("evidence=%q is not doc, third-party or assumed", h.Evidence)
	}
	switch s := fields["scopes"]; s {
	case "":
		return h, fmt.Errorf("scopes= is missing (use scopes=- for none)")
	case "-":
	default:
		h.Scopes = strings.Fields(s)
	}
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") || strings.HasPrefix(line, "# @genqlient") {
			break
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "#"))
		if src, ok := strings.CutPrefix(text, "source:"); ok && len(h.Doc) == 0 && h.Source == "" {
			h.Source = strings.TrimSpace(src)
			continue
		}
		h.Doc = append(h.Doc, text)
	}
	return h, nil
}

// ParseAnnotation reads `key=value ...`, the annotation after Prefix; a
// word without "=" continues the previous key's value (scopes=a b).
func ParseAnnotation(s string) (map[string]string, error) {
	out := map[string]string{}
	key := ""
	for _, w := range strings.Fields(s) {
		if k, v, ok := strings.Cut(w, "="); ok {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("annotation key %s is repeated", k)
			}
			if !slices.Contains([]string{"service", "method", "scopes", "evidence"}, k) {
				return nil, fmt.Errorf("unknown annotation key %q", k)
			}
			key, out[k] = k, v
			continue
		}
		if key == "" {
			return nil, fmt.Errorf("annotation word %q has no key", w)
		}
		out[key] += " " + w
	}
	return out, nil
}

func isExportedIdent(s string) bool {
	return token.IsIdentifier(s) && token.IsExported(s)
}
