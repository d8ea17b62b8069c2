package main

import (
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// openBrowser asks the system to show u in the user's browser, or runs
// $BROWSER with it when set. It does not wait for the browser.
func (a *app) openBrowser(u string) error {
	var name string
	var args []string
	switch b := strings.TrimSpace(a.getenv("BROWSER")); {
	case b != "":
		name = b
	case runtime.GOOS == "darwin":
		name = "open"
	case runtime.GOOS == "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	default:
		name = "xdg-open"
	}
	cmd := exec.Command(name, append(args, u)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; a browser may outlive the login
	return nil
}

// waiting shows msg while the command waits: a spinner on a terminal,
// one line otherwise. The returned stop clears the spinner.
func (a *app) waiting(msg string) (stop func()) {
	if !a.errTTY {
		a.stderr.printf("%s…\n", msg)
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		frames := []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			a.stderr.printf("\r%c %s", frames[i%len(frames)], msg)
			select {
			case <-done:
				a.stderr.printf("\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
