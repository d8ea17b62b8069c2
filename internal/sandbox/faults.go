package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"sync"
)

// ops keeps, per operation name, the calls counted (Server.Calls) and the
// failures injected and not yet answered (Server.FailOperation).
type ops struct {
	mu     sync.Mutex
	calls  map[string]int
	faults map[string][]int
}

func (o *ops) count(op string) {
	o.mu.Lock()
	o.calls[op]++
	o.mu.Unlock()
}

func (o *ops) counts() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.calls)
}

func (o *ops) fail(op string, status, n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for range n {
		o.faults[op] = append(o.faults[op], status)
	}
}

func (o *ops) takeFault(op string) (int, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.faults[op]
	if len(q) == 0 {
		return 0, false
	}
	o.faults[op] = q[1:]
	return q[0], true
}

// checkFault is the engine's first check: an injected fault answers
// before the token is looked at, as an outage would.
func (o *ops) checkFault(x *exchange) bool {
	status, ok := o.takeFault(x.name)
	if !ok {
		return true
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		x.w.Header().Set("Retry-After", "1")
	}
	return x.refuse(status, "injected_fault", fmt.Sprintf("the sandbox was told to fail %s with %d", x.name, status))
}
