package main

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// leftBehind are the functions whose goroutines a long-running command
// starts, directly or through the SDK: its receiver's server, its
// sandbox, its subscription.
var leftBehind = []string{
	"net/http.(*Server).Serve", "net/http.(*conn).serve",
	"onair/internal/providers.", "onair/internal/sandbox", "onair/dlive", "onair/livestorm", "onair/streamdiver",
}

// checkNoGoroutineLeft fails the test if goroutines of leftBehind are
// still running once the command has returned. Some end just after it
// (a connection's goroutine after its close), so it waits for them to go,
// at most 20 seconds: a leak fails, a slow machine does not.
func checkNoGoroutineLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		left := goroutinesOf(leftBehind)
		if left == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("goroutines left behind:\n%s", left)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// goroutinesOf returns the stacks of the goroutines running any of funcs.
func goroutinesOf(funcs []string) string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var left []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		for _, f := range funcs {
			if strings.Contains(g, f) {
				left = append(left, g)
				break
			}
		}
	}
	return strings.Join(left, "\n\n")
}
