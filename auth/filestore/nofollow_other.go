//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package filestore

// noFollow is 0 where Open refuses to run (see lockSupported); openFile
// still checks what it opened.
const noFollow = 0
