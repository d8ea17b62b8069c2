package main

import (
	"strings"
	"unicode"
)

// gqlWords are GraphQL names DLive writes as one word where Go writes
// two.
var gqlWords = map[string]string{"displayname": "DisplayName"}

// gqlFieldName is the Go name of a GraphQL field or variable: goName's
// (thumbnailUrl → ThumbnailURL, languageID → LanguageID), except for
// gqlWords.
func gqlFieldName(name string) string {
	if w, ok := gqlWords[strings.ToLower(name)]; ok {
		return w
	}
	return goName(name)
}

// enumConstName is the Go constant of an enum value: its type's name
// followed by the value, as Go writes it (TRENDING → Trending,
// VERIFIED_PARTNER → VerifiedPartner, ChatMode → ChatMode).
func enumConstName(typ, value string) string {
	var b strings.Builder
	b.WriteString(typ)
	for _, w := range strings.Split(value, "_") {
		if w == "" {
			continue
		}
		if isUpper(w) && !initialisms[w] {
			w = w[:1] + strings.ToLower(w[1:])
		}
		b.WriteString(goName(w))
	}
	return b.String()
}

func isUpper(s string) bool {
	return strings.IndexFunc(s, unicode.IsLower) < 0
}

// sentence returns text as the rest of a sentence that starts with
// "<Name> is ": its first word in lower case unless it is a name (DLive,
// ChatText), and a full stop at the end.
func sentence(text string) string {
	text = fullStop(text)
	first, _, _ := strings.Cut(text, " ")
	if first != "" && !strings.ContainsFunc(first[1:], unicode.IsUpper) {
		text = strings.ToLower(text[:1]) + text[1:]
	}
	return text
}

// fullStop ends text with a full stop.
func fullStop(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" || strings.HasSuffix(text, ".") {
		return text
	}
	return text + "."
}
