// Onair logs in to Livepush, Livestorm, Streamdiver and DLive from the
// terminal, shows the stored tokens and the providers' scopes, receives
// webhook deliveries, follows live chat events, and runs onair's sandboxes
// of the four providers, including a demo of the whole SDK against them
// that needs no account.
//
// Usage:
//
//	onair <command> [arguments] [flags]
//
// The commands are:
//
//	demo     run each provider's OAuth flow and typed calls against in-process sandboxes
//	login    log in to a provider through the browser and store the token
//	logout   revoke a stored token at the provider, and stop using it
//	token    show a stored token, its expiry and scopes, and refresh it
//	scopes   list a provider's scopes, compute least privilege, check a scope set
//	sandbox  serve the four sandboxes on loopback ports until interrupted
//	webhooks receive a provider's webhook deliveries here, or fire one from its sandbox
//	events   print a streamer's live chat and channel events as they arrive (DLive)
//	record   run another onair command and record its HTTP traffic, secrets removed
//	cassette check a recorded cassette against the specs and the sandboxes
//
// Run "onair help <command>" for a command's arguments and flags.
//
// Output is plain text without color when standard output is not a
// terminal, or when NO_COLOR is set. Text that comes from outside onair,
// such as a provider's error descriptions and scopes, a token's fields,
// chat messages, webhook deliveries, URLs, paths and arguments echoed
// back, is printed with control characters, bidi overrides and bytes that
// are not UTF-8 escaped (\x1b, \u202e, \xff), so that it cannot drive the
// terminal.
//
// Tokens are stored under the user's configuration directory
// (os.UserConfigDir()/onair, or $ONAIR_CONFIG_DIR), in files only their
// owner can read.
//
// The exit status is 0 on success, 1 when the command failed, 2 for a usage
// error, and 130 when interrupted.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := newApp(stdin, stdout, stderr, os.Getenv)
	return a.main(ctx, args)
}
