package main

import "testing"

// genqlient names the GraphQL type a Go type stands for in its doc comment,
// in one phrasing for an operation's selection and another for a
// fragment's; definition reads both.
func TestRequestedFields(t *testing.T) {
	for doc, want := range map[string]string{
		"MeMeUser includes the requested fields of the GraphQL type User.":                           "User",
		"ChatMessage includes the requested fields of the GraphQL interface StreamchatMessage.":      "StreamchatMessage",
		"ChatMessage includes the GraphQL fields of ChatText requested by the fragment ChatMessage.": "ChatText",
		"MeResponse is returned by Me on success.":                                                   "",
	} {
		got := ""
		if m := requestedFields.FindStringSubmatch(doc); m != nil {
			got = m[1] + m[2]
		}
		if got != want {
			t.Errorf("%q: type %q, want %q", doc, got, want)
		}
	}
}
