package streamdivertest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// render writes the transcript as a file in format, one the spec names
// (json, srt, vtt, docx; txt for any other), each line labelled with its
// speaker if speakers.
func (t transcript) render(format string, speakers bool) []byte {
	cues := append([]cue{}, t.Cues...)
	for i := range cues {
		if !speakers {
			cues[i].Speaker = ""
		}
	}
	// labelled writes a line with its speaker, if any, as layout says.
	labelled := func(c cue, layout string) string {
		if c.Speaker == "" {
			return c.Text
		}
		return fmt.Sprintf(layout, c.Speaker, c.Text)
	}
	var b bytes.Buffer
	switch format {
	case "srt":
		for i, c := range cues {
			fmt.Fprintf(&b, "%d\n%s --> %s\n%s\n\n", i+1, timestamp(c.Start, ","), timestamp(c.End, ","), labelled(c, "%s: %s"))
		}
	case "vtt":
		b.WriteString("WEBVTT\n\n")
		for _, c := range cues {
			fmt.Fprintf(&b, "%s --> %s\n%s\n\n", timestamp(c.Start, "."), timestamp(c.End, "."), labelled(c, "<v %s>%s"))
		}
	case "json":
		out, _ := json.MarshalIndent(map[string]any{"id": t.ID, "languageCode": t.LanguageCode, "segments": cues}, "", "  ") // plain data always encodes
		return out
	case "docx":
		var lines []string
		for _, c := range cues {
			lines = append(lines, labelled(c, "%s: %s"))
		}
		return docx(lines)
	default:
		for _, c := range cues {
			fmt.Fprintln(&b, labelled(c, "%s: %s"))
		}
	}
	return b.Bytes()
}

// timestamp writes seconds as hh:mm:ss, sep and milliseconds.
func timestamp(seconds float64, sep string) string {
	ms := int64(math.Round(seconds * 1000))
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}

// docx writes lines as the paragraphs of the smallest Word document that
// Word opens. It writes to memory, which cannot fail.
func docx(lines []string) []byte {
	var body strings.Builder
	for _, l := range lines {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">`)
		xml.EscapeText(&body, []byte(l))
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	const header = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", header + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`},
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, p := range parts {
		w, _ := z.Create(p.name)
		io.WriteString(w, p.content)
	}
	z.Close()
	return b.Bytes()
}
