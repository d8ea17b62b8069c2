//go:build !unix

package probe

import "time"

// CPUTime is not measured on this system.
func CPUTime() (time.Duration, bool) { return 0, false }
