package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130 // as a shell reports a process ended by SIGINT
)

// app is one run of the command: where it reads and writes, and the
// environment it was started with.
type app struct {
	stdin          io.Reader
	stdout, stderr *terminal
	getenv         func(string) string
	out            style // styling of stdout
	errTTY         bool  // stderr is a terminal, so a spinner can redraw
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	return &app{
		stdin:  stdin,
		stdout: &terminal{stdout},
		stderr: &terminal{stderr},
		getenv: getenv,
		out:    newStyle(stdout, getenv),
		errTTY: isTerminal(stderr),
	}
}

// A command is one of onair's subcommands.
type command struct {
	name  string
	args  string // what follows the name in the usage line
	short string // one line for the list of commands
	long  string // the help text under the usage line
	// flags declares the command's flags on fs and returns the function
	// that runs the command with its positional arguments.
	flags func(fs *flag.FlagSet) func(ctx context.Context, a *app, args []string) error
}

func commands() []*command {
	return []*command{demoCommand(), loginCommand(), logoutCommand(), tokenCommand(), scopesCommand(), sandboxCommand(), webhooksCommand(), eventsCommand(), recordCommand(), cassetteCommand()}
}

// usageError is a command line that cannot run: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

const mainUsage = `onair logs in to Livepush, Livestorm, Streamdiver and DLive from the
terminal, shows stored tokens and scopes, receives webhook deliveries,
follows live chat events, and runs sandboxes of the four providers, with
a demo of the whole SDK that needs no account.

Usage:

	onair <command> [arguments] [flags]

Commands:

%s
Run "onair help <command>" for a command's arguments and flags.

Environment:

	ONAIR_CONFIG_DIR    where tokens are stored (default: the user's
	                    configuration directory, followed by /onair)
	ONAIR_<PROVIDER>_CLIENT_ID, ONAIR_<PROVIDER>_CLIENT_SECRET
	                    your app's credentials at the provider, such as
	                    ONAIR_LIVESTORM_CLIENT_ID
	ONAIR_<PROVIDER>_WEBHOOK_SECRET
	                    the secret in the URLs of your webhook
	                    subscriptions, for "onair webhooks listen"
	ONAIR_STREAMDIVER_TENANT
	                    your Streamdiver tenant's shortcode
	ONAIR_<PROVIDER>_BASE_URL
	                    send a provider's requests to this server instead,
	                    such as one that "onair sandbox" serves
	NO_COLOR            plain output, as when it is not a terminal
`

func (a *app) printMainUsage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "\t%-9s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, mainUsage, b.String())
}

// main dispatches args to a command and turns its outcome into an exit
// status, printing errors on stderr.
func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.printMainUsage(a.stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		a.printMainUsage(a.stdout)
		return exitOK
	case "help":
		if len(rest) == 0 {
			a.printMainUsage(a.stdout)
			return exitOK
		}
		c := lookupCommand(rest[0])
		if c == nil {
			a.stderr.printf("onair help: unknown command %q\nRun \"onair help\" for the list of commands.\n", rest[0])
			return exitUsage
		}
		fs, _ := newFlagSet(c)
		printHelp(a.stdout, c, fs)
		return exitOK
	}
	c := lookupCommand(name)
	if c == nil {
		a.stderr.printf("onair: unknown command %q\nRun \"onair help\" for the list of commands.\n", name)
		return exitUsage
	}
	fs, runCmd := newFlagSet(c)
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(a.stdout, c, fs)
		return exitOK
	}
	if err == nil {
		if debugging(fs) {
			ctx = a.debugContext(ctx)
		}
		err = runCmd(ctx, a, pos)
	}
	return a.report(ctx, c, err)
}

// report prints err, if any, and returns the exit status it calls for.
func (a *app) report(ctx context.Context, c *command, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		a.stderr.printf("onair %s: interrupted\n", c.name)
		return exitInterrupted
	case errors.As(err, &ue):
		a.stderr.printf("onair %s: %s\nRun \"onair help %s\" for usage.\n", c.name, ue.msg, c.name)
		return exitUsage
	default:
		a.stderr.printf("onair %s: %v\n", c.name, err)
		return exitFail
	}
}

func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// newFlagSet declares c's flags on a new FlagSet that prints nothing
// itself: main reports parse errors and help.
func newFlagSet(c *command) (*flag.FlagSet, func(context.Context, *app, []string) error) {
	fs := flag.NewFlagSet("onair "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	run := c.flags(fs)
	declareDebug(fs)
	return fs, run
}

// parseInterspersed parses flags wherever they appear among args, so that
// "onair login livestorm --sandbox" works as well as flags first, and
// returns the positional arguments. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag.Parse stops at "--" having consumed it; what follows is
		// all positional.
		if len(args) >= len(rest)+1 && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printHelp writes c's usage line, help text and flags.
func printHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: onair %s %s\n\n%s", c.name, c.args, c.long)
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&flags, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(&flags, " %s", name)
		}
		fmt.Fprintf(&flags, "\n    \t%s", strings.ReplaceAll(usage, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			fmt.Fprintf(&flags, " (default %s)", f.DefValue)
		}
		flags.WriteString("\n")
	})
	if flags.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", flags.String())
	}
}
