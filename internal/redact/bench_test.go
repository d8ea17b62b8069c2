package redact

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkText redacts texts up to the 1 MiB a token answer may have,
// ordinary and built to be slow; time per byte should not grow with size.
func BenchmarkText(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 1<<20)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	texts := []struct {
		name string
		make func(n int) string
	}{
		{"html page", func(n int) string {
			return fill(n, `<div class="row"><a href="/x?page=2&amp;sort=asc">next</a> status code: 200, token expired &nbsp;</div>`+"\n")
		}},
		{"random bytes", func(n int) string { return string(random[:n]) }},
		{"base64", func(n int) string { return base64.StdEncoding.EncodeToString(random[:n*3/4]) }},
		{"escapes", func(n int) string { return fill(n, `&#x41;\u0042%43&amp;`) }},
		{"nested escapes", func(n int) string { return fill(n, "%252525") }},
		{"names without end", func(n int) string { return fill(n, `token="`) }},
		{"names", func(n int) string { return fill(n, "code=a&") }},
		{"marks", func(n int) string { return fill(n, Mark) }},
	}
	var s Set
	s.Add(secret, "cs/9Kx+Qz=Vw~Lm.42Rb", "a-refresh-token")
	for _, tc := range texts {
		for _, n := range []int{64 << 10, 1 << 20} {
			text := tc.make(n)
			b.Run(fmt.Sprintf("%s/%dKiB", tc.name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					s.Text(text)
				}
			})
		}
	}
}

func fill(n int, unit string) string {
	return strings.Repeat(unit, n/len(unit)+1)[:n]
}
