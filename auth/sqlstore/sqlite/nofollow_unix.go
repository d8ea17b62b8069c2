//go:build unix

package sqlite

import "syscall"

// noFollow makes an open fail on a symbolic link rather than follow it,
// and not wait for a writer on a FIFO.
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
