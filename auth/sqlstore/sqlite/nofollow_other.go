//go:build !unix

package sqlite

// noFollow is 0 where there is no O_NOFOLLOW: Open still checks what it
// opened, and Lstat refuses a link.
const noFollow = 0
