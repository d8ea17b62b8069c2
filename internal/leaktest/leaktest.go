// Package leaktest holds what the tests that look for secrets in errors
// share: the walk of an error chain, a server that writes answers net/http
// never would, and UTF-16 text. It imports nothing of onair, so that any
// package's own tests can use it.
package leaktest

import (
	"bufio"
	"net"
	"net/http"
	"testing"
	"unicode/utf16"
)

// maxChain bounds Chain, against an error joined into itself.
const maxChain = 1000

// Chain returns err and every error it wraps, through Unwrap() error and
// Unwrap() []error, depth first, at most 1,000 of them.
func Chain(err error) []error {
	var all []error
	var walk func(error)
	walk = func(e error) {
		if e == nil || len(all) >= maxChain {
			return
		}
		all = append(all, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		}
	}
	walk(err)
	return all
}

// RawServer answers every request on a loopback port with what answer
// makes of the request's Authorization value, written on the connection
// as it is, so that malformed answers can be sent. It returns the base
// URL; the server stops when the test ends.
func RawServer(t testing.TB, answer func(authorization string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				conn.Write([]byte(answer(req.Header.Get("Authorization"))))
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// UTF16 encodes s as UTF-16, big-endian or little-endian, with a byte
// order mark or without.
func UTF16(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}
