package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the onair command that TestMain builds, which the tests run as
// a user would.
var binary string

func TestMain(m *testing.M) {
	// The tests hand this test binary to onair as $BROWSER.
	if u := os.Getenv("ONAIR_TEST_BROWSER"); u != "" {
		os.Exit(fakeBrowser(u, os.Args[len(os.Args)-1]))
	}
	dir, err := os.MkdirTemp("", "onair-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "onair")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building onair: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is how a run of onair ended.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// environ is the environment onair runs in: this process's, without
// anything that would change onair's behaviour, and a configuration
// directory of the test's own.
func environ(t *testing.T, extra ...string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ONAIR_") || strings.HasPrefix(kv, "NO_COLOR=") || strings.HasPrefix(kv, "BROWSER=") || strings.HasPrefix(kv, "GORACE=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "ONAIR_CONFIG_DIR="+filepath.Join(t.TempDir(), "config"))
	if raceEnabled {
		// The race detector sleeps a second at exit unless told not to.
		env = append(env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	return append(env, extra...)
}

// onair runs the command to the end, as a user would in a shell.
func onair(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return start(t, env, args...).wait(t)
}

// proc is onair running in the background.
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	lines  chan string // stdout and stderr, line by line
	done   chan struct{}
}

func start(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader("")
	p := &proc{cmd: cmd, lines: make(chan string, 1000), done: make(chan struct{})}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	copyLines := func(r io.Reader, buf *bytes.Buffer) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			p.mu.Lock()
			buf.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}
	wg.Add(2)
	go copyLines(outPipe, &p.stdout)
	go copyLines(errPipe, &p.stderr)
	go func() { wg.Wait(); close(p.done) }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p
}

// await returns the first submatch of re in the output, waiting for it
// for at most 20 seconds.
func (p *proc) await(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		p.mu.Lock()
		out := p.stdout.String() + p.stderr.String()
		p.mu.Unlock()
		if m := re.FindStringSubmatch(out); m != nil {
			return m[len(m)-1]
		}
		select {
		case <-p.lines:
		case <-p.done:
			p.mu.Lock()
			out := p.stdout.String() + p.stderr.String()
			p.mu.Unlock()
			if m := re.FindStringSubmatch(out); m != nil {
				return m[len(m)-1]
			}
			t.Fatalf("onair ended without printing %v:\n%s", re, out)
		case <-timeout:
			t.Fatalf("onair did not print %v within 20s:\n%s", re, out)
		}
	}
}

// interrupt sends SIGINT, as Ctrl-C in a terminal does.
func (p *proc) interrupt(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
}

// wait waits at most 60 seconds for onair to exit.
func (p *proc) wait(t *testing.T) result {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("onair %v did not exit within 60s", p.cmd.Args[1:])
	}
	err := p.cmd.Wait()
	r := result{stdout: p.stdout.String(), stderr: p.stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("onair: %v", err)
		}
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("onair died of %v:\n%s", ws.Signal(), r)
		}
	}
	return r
}

// authURLPattern finds the authorization URL login prints.
var authURLPattern = regexp.MustCompile(`(?m)^\s+(http://127\.0\.0\.1:\d+/\S*authorize\?\S+)$`)
