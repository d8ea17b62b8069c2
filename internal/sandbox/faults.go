package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"sync"
)

// faults holds injected operation failures (Server.FailOperation).
type faults struct {
	mu sync.Mutex
	m  map[string][]int
}

func newFaults() *faults { return &faults{m: map[string][]int{}} }

func (f *faults) add(op string, status, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.m[op] = append(f.m[op], status)
	}
}

func (f *faults) take(op string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.m[op]
	if len(q) == 0 {
		return 0, false
	}
	f.m[op] = q[1:]
	return q[0], true
}

// check is the engine's first check: an injected fault answers before
// the token is looked at, as an outage would.
func (f *faults) check(x *exchange) bool {
	status, ok := f.take(x.name)
	if !ok {
		return true
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		x.w.Header().Set("Retry-After", "1")
	}
	return x.refuse(status, "injected_fault", fmt.Sprintf("the sandbox was told to fail %s with %d", x.name, status))
}

// counter counts the calls of each operation (Server.Calls).
type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counter) add(op string) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[op]++
	c.mu.Unlock()
}

func (c *counter) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}
