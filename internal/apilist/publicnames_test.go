package main

import (
	"fmt"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/go/packages"

	registry "github.com/onair-go/onair/internal/providers"
)

// TestPublicNames checks two rules of issue 11 on the module's public
// packages: no provider package exports an alias of another package's
// type (go doc shows nothing of it), and no exported name repeats a run of
// three words (CreateEventDataTypeCreateEventDataTypeEvents).
func TestPublicNames(t *testing.T) {
	pkgs, err := loadPublic(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	const module = "github.com/onair-go/onair/"
	var providers []string
	for _, p := range registry.All() {
		providers = append(providers, module+p.Name())
	}
	for _, path := range providers {
		if !slices.ContainsFunc(pkgs, func(p *packages.Package) bool { return p.PkgPath == path }) {
			t.Errorf("provider package %s is not among the public packages; update TestPublicNames", path)
		}
	}
	found := append(foreignAliases(pkgs, providers), repeatedRuns(pkgs)...)
	slices.Sort(found)
	if len(found) > 0 {
		t.Errorf("%d exported names break issue 11's naming rules; rename them in the specs or the generator:\n%s",
			len(found), strings.Join(found, "\n"))
	}
}

// TestChecks runs both checks on testdata/shop, which breaks each rule in
// each kind of declaration, and keeps names that come close.
func TestChecks(t *testing.T) {
	pkgs, err := loadPublic(filepath.Join("testdata", "shop"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`pkg example.com/shop, type Duration = time.Duration: an alias of another package's type`,
		`pkg example.com/shop, type Event = model.Event: an alias of another package's type`,
		`pkg example.com/shop/sub, field CreateOrderRequestCreateOrderRequestBody.APIKeyIDAPIKeyID: repeats "API Key ID"`,
		`pkg example.com/shop/sub, method CreateOrderRequestCreateOrderRequestBody.SendOrderNowSendOrderNow: repeats "Send Order Now"`,
		`pkg example.com/shop/sub, method Notifier.NotifyStreamIDStreamIdStreamID: repeats "Stream ID Stream"`,
		`pkg example.com/shop/sub, type CreateOrderRequestCreateOrderRequestBody: repeats "Create Order Request"`,
		`pkg example.com/shop/sub, var URLsByIDURLsByID: repeats "URLs By ID"`,
	}
	got := append(foreignAliases(pkgs, []string{"example.com/shop"}), repeatedRuns(pkgs)...)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("offenders in testdata/shop mismatch (-want +got):\n%s", diff)
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Stream", []string{"Stream"}},
		{"EventStatusPublished", []string{"Event", "Status", "Published"}},
		{"HTTPClient", []string{"HTTP", "Client"}},
		{"ThumbnailURL", []string{"Thumbnail", "URL"}},
		{"APIKeyID", []string{"API", "Key", "ID"}},
		{"IDs", []string{"IDs"}},
		{"StreamIDs", []string{"Stream", "IDs"}},
		{"URLsByID", []string{"URLs", "By", "ID"}},
		{"IDURL", []string{"ID", "URL"}},
		{"StreamIDURLs", []string{"Stream", "ID", "URLs"}},
		{"HTTPS", []string{"HTTPS"}},
		{"ABCD", []string{"ABCD"}},
		{"V2Stream", []string{"V2", "Stream"}},
		{"Event_Created", []string{"Event", "Created"}},
		{"X", []string{"X"}},
		{
			"CreateWebhookAttributesEventCreateWebhookAttributesEventEventCreated",
			[]string{"Create", "Webhook", "Attributes", "Event", "Create", "Webhook", "Attributes", "Event", "Event", "Created"},
		},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, splitWords(tt.name)); diff != "" {
			t.Errorf("splitWords(%q) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestRepeatedRun(t *testing.T) {
	tests := []struct {
		name, want string
	}{
		{"CreateWebhookAttributesEventCreateWebhookAttributesEventEventCreated", "Create Webhook Attributes"},
		{"CreateEventDataTypeCreateEventDataTypeEvents", "Create Event Data"},
		{"StreamIDStreamIdStreamID", "Stream ID Stream"},
		{"EventEventEventEvent", "Event Event Event"},
		{"OrderStatusOrderStatusNew", ""}, // a run of two
		{"EventStatusPublished", ""},
		{"ListStreamsParams", ""},
	}
	for _, tt := range tests {
		if got := repeatedRun(splitWords(tt.name)); got != tt.want {
			t.Errorf("repeatedRun(splitWords(%q)) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// foreignAliases lists the exported aliases in the packages whose paths
// are in paths that name another package's type: such a name shows
// nothing of the type in go doc.
func foreignAliases(pkgs []*packages.Package, paths []string) []string {
	var found []string
	for _, p := range pkgs {
		if !slices.Contains(paths, p.PkgPath) {
			continue
		}
		w := typeWriter{pkg: p.Types}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			obj, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || !obj.Exported() || !obj.IsAlias() {
				continue
			}
			target := obj.Type()
			if a, ok := target.(*types.Alias); ok {
				target = a.Rhs()
			}
			var tobj *types.TypeName
			switch t := target.(type) {
			case *types.Named:
				tobj = t.Obj()
			case *types.Alias:
				tobj = t.Obj()
			}
			if tobj != nil && tobj.Pkg() != nil && tobj.Pkg() != p.Types {
				found = append(found, fmt.Sprintf("pkg %s, type %s = %s: an alias of another package's type",
					p.PkgPath, name, w.string(target)))
			}
		}
	}
	return found
}

// repeatedRuns lists the exported identifiers of pkgs whose names hold
// the same run of three or more words twice.
func repeatedRuns(pkgs []*packages.Package) []string {
	var found []string
	check := func(p *packages.Package, kind, name, ident string) {
		if run := repeatedRun(splitWords(ident)); run != "" {
			found = append(found, fmt.Sprintf("pkg %s, %s %s: repeats %q", p.PkgPath, kind, name, run))
		}
	}
	for _, p := range pkgs {
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			obj := scope.Lookup(name)
			if !obj.Exported() {
				continue
			}
			switch obj := obj.(type) {
			case *types.Const:
				check(p, "const", name, name)
			case *types.Var:
				check(p, "var", name, name)
			case *types.Func:
				check(p, "func", name, name)
			case *types.TypeName:
				check(p, "type", name, name)
				if obj.IsAlias() {
					continue // its fields and methods are where it points
				}
				named := obj.Type().(*types.Named)
				for m := range named.Methods() {
					if m.Exported() {
						check(p, "method", name+"."+m.Name(), m.Name())
					}
				}
				switch u := named.Underlying().(type) {
				case *types.Struct:
					for f := range u.Fields() {
						if f.Exported() && !f.Embedded() {
							check(p, "field", name+"."+f.Name(), f.Name())
						}
					}
				case *types.Interface:
					for m := range u.ExplicitMethods() {
						if m.Exported() {
							check(p, "method", name+"."+m.Name(), m.Name())
						}
					}
				}
			}
		}
	}
	return found
}

// repeatedRun returns the first run of three words that words holds twice,
// ignoring case, or "" if there is none. Longer repeated runs hold a
// repeated run of three.
func repeatedRun(words []string) string {
	const n = 3
	seen := make(map[string]string) // lower case to first spelling
	for i := 0; i+n <= len(words); i++ {
		run := strings.Join(words[i:i+n], " ")
		key := strings.ToLower(run)
		if first, ok := seen[key]; ok {
			return first
		}
		seen[key] = run
	}
	return ""
}

// splitWords splits a Go identifier into words at underscores and
// camel-case boundaries, keeping initialisms whole: HTTPClient is HTTP
// Client, StreamIDs is Stream IDs, and IDURL, made of two initialisms
// initialisms knows, is ID URL. Digits stay with the word before them.
func splitWords(name string) []string {
	var words []string
	rs := []rune(name)
	start := 0
	flush := func(end int) {
		if end > start {
			words = append(words, initialisms(string(rs[start:end]))...)
		}
		start = end
	}
	for i, r := range rs {
		switch {
		case r == '_':
			flush(i)
			start = i + 1
		case !unicode.IsUpper(r) || i == start:
		case unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]):
			flush(i) // fooBar, v2Bar
		case i+1 < len(rs) && unicode.IsLower(rs[i+1]) && !pluralInitialism(rs, i):
			flush(i) // HTTPClient: the last capital starts a word
		}
	}
	flush(len(rs))
	return words
}

// pluralInitialism reports whether the capital at rs[i] ends an
// initialism made plural by a lone s, as in IDs or URLsByID.
func pluralInitialism(rs []rune, i int) bool {
	if i < 1 || !unicode.IsUpper(rs[i-1]) || !unicode.IsUpper(rs[i]) {
		return false
	}
	if i+1 >= len(rs) || rs[i+1] != 's' {
		return false
	}
	return i+2 == len(rs) || !unicode.IsLower(rs[i+2])
}

// initialisms splits a word of capitals, perhaps plural, into the known
// initialisms it is made of, such as IDURLs into ID and URLs. Any other
// word is returned whole.
func initialisms(word string) []string {
	// Longest first, so that HTTPS is not HTTP and S.
	known := []string{
		"HTTPS",
		"HTML", "HTTP", "JSON", "RTMP", "UUID",
		"API", "CSS", "DNS", "EOF", "HLS", "RPC", "SQL", "SSH", "TCP", "TLS",
		"TTL", "UDP", "UID", "URI", "URL", "XML",
		"ID", "IP", "UI",
	}
	stem, plural := strings.CutSuffix(word, "s")
	if len(stem) < 4 || strings.ToUpper(stem) != stem {
		return []string{word}
	}
	var parts []string
	for rest := stem; rest != ""; {
		i := slices.IndexFunc(known, func(s string) bool { return strings.HasPrefix(rest, s) })
		if i < 0 {
			return []string{word}
		}
		parts = append(parts, known[i])
		rest = rest[len(known[i]):]
	}
	if plural {
		parts[len(parts)-1] += "s"
	}
	return parts
}
