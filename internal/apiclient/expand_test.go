package apiclient

import (
	"errors"
	"net/url"
	"testing"
)

// The path's values reach the server as given: each is one segment, and
// nothing in one can change which resource the URL names.
func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		base, tmpl string
		values     []string
		want       string // the URL's escaped path
	}{
		{"https://api.example/v1/", "streams/{id}", []string{"st_1"}, "/v1/streams/st_1"},
		{"https://api.example/v1/", "streams/{id}", []string{"a/b"}, "/v1/streams/a%2Fb"},
		{"https://api.example/v1/", "streams/{id}/x", []string{"a?b#c d"}, "/v1/streams/a%3Fb%23c%20d/x"},
		{"https://api.example/v1/", "streams/{id}", []string{"%2e%2e"}, "/v1/streams/%252e%252e"},
		{"https://api.example/v1/", "streams/{id}", []string{"ünï"}, "/v1/streams/%C3%BCn%C3%AF"},
		{"https://api.example/a%2Fb/", "s/{id}/t/{id2}", []string{"x", "y/z"}, "/a%2Fb/s/x/t/y%2Fz"},
		{"https://api.example/", "sessions/{id}/people/{p}", []string{"s 1", "p2"}, "/sessions/s%201/people/p2"},
	} {
		base, err := url.Parse(tc.base)
		if err != nil {
			t.Fatal(err)
		}
		path, raw, err := expand(base, tc.tmpl, tc.values)
		if err != nil {
			t.Errorf("expand(%q, %q): %v", tc.tmpl, tc.values, err)
			continue
		}
		u := url.URL{Scheme: "https", Host: "api.example", Path: path, RawPath: raw}
		if got := u.EscapedPath(); got != tc.want {
			t.Errorf("expand(%s, %q, %q) = %s, want %s", tc.base, tc.tmpl, tc.values, got, tc.want)
		}
		back, err := url.Parse(u.String())
		if err != nil || back.Path != path {
			t.Errorf("%s does not parse back to the path %q: %v %q", u.String(), path, err, back.Path)
		}
	}
	base, _ := url.Parse("https://api.example/")
	for _, v := range []string{"", ".", ".."} {
		if _, _, err := expand(base, "streams/{id}", []string{v}); !errors.Is(err, ErrBadArgument) {
			t.Errorf("expand with id %q: %v, want ErrBadArgument", v, err)
		}
	}
	if _, _, err := expand(base, "streams/{id}", nil); !errors.Is(err, ErrBadArgument) {
		t.Errorf("expand without a value: %v, want ErrBadArgument", err)
	}
}
