package scopes_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/onair-go/onair/scopes"
)

// FuzzParse checks Parse for every provider on the same input: it never
// panics, returns exactly the documented scopes of the input in order
// without repeats, round-trips through Join, and succeeds only if every
// field of the input is a documented scope.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		" ",
		",,",
		"profile.read,streams.read,streams.write,streams.create,streams.destinations.write",
		"streams.create",
		"streams.read, streams.videos.read ,",
		"identity:read events:write admin:read webhooks:write",
		"full:write",
		"full:read events:write events:write",
		"identity chat:write email:read",
		"identity phone:read",
		"streamkey:read",
		"email profile",
		"openid offline_access email profile",
		"\tidentity,\n\u00a0chat:write\u3000",
		"identity\xffchat:write",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkParse[scopes.Livepush](t, in)
		checkParse[scopes.Livestorm](t, in)
		checkParse[scopes.DLive](t, in)
		checkParse[scopes.Streamdiver](t, in)
	})
}

func checkParse[S scopes.Scope](t *testing.T, in string) {
	t.Helper()
	name := scopes.Provider[S]()
	got, err := scopes.Parse[S](in)
	if err != nil && !errors.Is(err, scopes.ErrUnknown) {
		t.Fatalf("%s: Parse(%q) error = %v, want nil or one wrapping ErrUnknown", name, in, err)
	}

	documented := scopes.All[S]()
	for i, s := range got {
		if !slices.Contains(documented, s) {
			t.Fatalf("%s: Parse(%q) returned undocumented %q", name, in, s)
		}
		if slices.Contains(got[:i], s) {
			t.Fatalf("%s: Parse(%q) returned %q twice", name, in, s)
		}
	}

	again, err2 := scopes.Parse[S](scopes.Join(got...))
	if err2 != nil {
		t.Fatalf("%s: Parse(Join(Parse(%q))) error = %v", name, in, err2)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Fatalf("%s: Parse(Join(Parse(%q))) mismatch (-first +second):\n%s", name, in, diff)
	}

	// The result is the documented fields of in, in order, without
	// repeats; the error is nil exactly when there is no other field.
	var want []S
	allKnown := true
	for _, f := range strings.FieldsFunc(in, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		switch s := S(f); {
		case !slices.Contains(documented, s):
			allKnown = false
		case !slices.Contains(want, s):
			want = append(want, s)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s: Parse(%q) mismatch (-want +got):\n%s", name, in, diff)
	}
	if (err == nil) != allKnown {
		t.Fatalf("%s: Parse(%q) error = %v, but every field documented = %t", name, in, err, allKnown)
	}
}
