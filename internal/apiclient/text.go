package apiclient

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/onair-go/onair/internal/oneline"
)

// maxLine bounds, in bytes, one piece of an error text taken from an answer.
const maxLine = 200

// maxListed bounds how many of an answer's messages an error text shows.
const maxListed = 5

// Line returns s as one line of printable, valid UTF-8 of at most 200
// bytes, fit for an error text: every run of white space, control or
// format characters and invalid bytes becomes one space, so that nothing
// from an answer can break the line or drive a terminal, and a longer text
// is cut at a rune boundary, "…" marking the cut. Line(Line(s)) ==
// Line(s).
//
// Nothing is dropped without a space in its place, so no secret can be
// joined from pieces; remove secrets before, as a cut could keep the start
// of one. A UTF-16 text is decoded first, as [redact.Text] reads it, so
// that its characters are not spread apart by spaces.
func Line(s string) string { return line(s) }

// Excerpt describes an answer body that is not the provider's error shape:
// its start, as Line makes it, or the status text.
func Excerpt(status int, body []byte) string {
	if s := line(body); s != "" {
		return s
	}
	return http.StatusText(status)
}

func line[T string | []byte](text T) string { return oneline.Cut(text, maxLine) }

// List joins messages with "; " for an error text, each as Line makes it,
// showing the first five and how many more there are.
func List(msgs []string) string {
	shown := make([]string, 0, min(len(msgs), maxListed)+1)
	for _, m := range msgs[:min(len(msgs), maxListed)] {
		shown = append(shown, Line(m))
	}
	if more := len(msgs) - maxListed; more > 0 {
		shown = append(shown, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(shown, "; ")
}

// maxExcerpt bounds onair.APIError.Body.
const maxExcerpt = 4 << 10

// bodyExcerpt is the start of an answer's body as valid UTF-8, at most
// maxExcerpt bytes, cut on a rune boundary.
func bodyExcerpt(body []byte) string {
	if len(body) > maxExcerpt {
		body = body[:maxExcerpt]
		for len(body) > 0 && !utf8.RuneStart(body[len(body)-1]) {
			body = body[:len(body)-1]
		}
		if len(body) > 0 {
			if r, size := utf8.DecodeLastRune(body); r == utf8.RuneError && size <= 1 {
				body = body[:len(body)-1]
			}
		}
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}
