// Package pgtest gives tests a PostgreSQL server: the one that
// ONAIR_POSTGRES_DSN names (CI's, started by .ci/postgres), or else a
// throwaway server of its own on 127.0.0.1, made with initdb in a
// temporary directory and removed when the tests end.
//
// When neither is possible because no PostgreSQL binaries can be found,
// Start returns ErrNoPostgres and the tests skip, saying so.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// EnvDSN names the variable that holds an existing server's DSN.
const EnvDSN = "ONAIR_POSTGRES_DSN"

// ErrNoPostgres means no server was given and no binaries were found.
var ErrNoPostgres = errors.New("pgtest: no PostgreSQL: " + EnvDSN + " is unset and no initdb and pg_ctl were found (under /usr/lib/postgresql/*/bin or on PATH); `bash .ci/postgres start` installs and starts one")

// Server is a PostgreSQL server for tests.
type Server struct {
	DSN  string // a superuser's, to the postgres database
	dir  string // set when this package started the server
	ctl  string
	cred *syscall.Credential
}

// Start returns the server of ONAIR_POSTGRES_DSN, or starts one.
func Start() (*Server, error) {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return &Server{DSN: dsn}, nil
	}
	bin := findBin()
	if bin == "" {
		return nil, ErrNoPostgres
	}
	dir, err := os.MkdirTemp("", "onair-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, ctl: filepath.Join(bin, "pg_ctl")}
	if err := s.start(bin); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// findBin returns the directory of the newest initdb and pg_ctl.
func findBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d
		}
	}
	return ""
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode()&0o111 != 0
}

func (s *Server) start(bin string) error {
	// initdb refuses to run as root: run the server as the postgres user
	// (Debian's package makes one), or nobody.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			return fmt.Errorf("pgtest: running as root and no postgres or nobody user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		return fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200", port, s.dir)
	if out, err := s.run(s.ctl, "-D", data, "-l", filepath.Join(s.dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return nil
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = s.dir
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Stop stops a server this package started and removes its directory.
func (s *Server) Stop() {
	if s == nil || s.dir == "" {
		return
	}
	if s.DSN != "" {
		s.run(s.ctl, "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	os.RemoveAll(s.dir)
}

// Database creates an empty database for t, dropped when t ends, and
// returns its DSN. open opens a *sql.DB for a DSN (the caller's driver).
func (s *Server) Database(t testing.TB, open func(dsn string) (*sql.DB, error)) string {
	t.Helper()
	admin, err := open(s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := fmt.Sprintf("onair_test_%x", rand.Uint64())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	u, err := url.Parse(s.DSN)
	if err != nil || u.Scheme == "" {
		// key=value form
		return strings.TrimSpace(s.DSN) + " dbname=" + name
	}
	u.Path = "/" + name
	return u.String()
}
