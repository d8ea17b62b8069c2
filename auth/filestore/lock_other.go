//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package filestore

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// lockSupported refuses systems without flock (Windows among them), where
// an unlocked store would let two processes spend one refresh token.
func lockSupported() error {
	return fmt.Errorf("filestore: no advisory file locks on %s: use auth/sqlstore: %w", runtime.GOOS, errors.ErrUnsupported)
}

func tryLock(*os.File) (bool, error) { return false, lockSupported() }
