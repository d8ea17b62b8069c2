package main

import (
	"context"
	"errors"
	"flag"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/cassette"
)

func recordCommand() *command {
	return &command{
		name:  "record",
		args:  "--out file [--redact-emails] [--secret value]... -- <command> [arguments]",
		short: "run another onair command and record its HTTP traffic, secrets removed",
		long: `Record runs another onair command in this process, such as
"login livestorm", "token livestorm --refresh" or "demo", and writes every
HTTP exchange it makes with a provider to a cassette file: the requests
and the answers, with every secret removed. Tokens, authorization codes,
PKCE verifiers, client secrets, cookies and state are removed wherever
they appear, escaped or encoded; so are the client and webhook secrets
in your ONAIR_<PROVIDER>_* variables, the values given with --secret and,
with --redact-emails, every email address. Record refuses to write a
cassette in which a secret it knows survives.

"onair cassette check" checks a cassette against onair's specs. The
README says how to contribute one.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var out string
			var emails bool
			var secrets listFlag
			fs.StringVar(&out, "out", "", "write the cassette to `file`")
			fs.BoolVar(&emails, "redact-emails", false, "remove every email address too")
			fs.Var(&secrets, "secret", "also remove this `value` wherever it appears, such as an account id; repeatable\n(other users can see a process's arguments: prefer ONAIR_RECORD_SECRETS)")
			return func(ctx context.Context, a *app, args []string) error {
				if out == "" {
					return usagef("name the cassette file with --out")
				}
				if len(args) == 0 {
					return usagef("name the command to record after --, such as: onair record --out s.json -- login livestorm")
				}
				if args[0] == "record" {
					return usagef("record cannot record itself")
				}
				return a.record(ctx, out, emails, secrets, args)
			}
		},
	}
}

// record runs args as a command of its own, with a Recorder as the HTTP
// transport of its token requests and API calls (the client auth finds
// under oauth2.HTTPClient), and saves what it recorded to out.
func (a *app) record(ctx context.Context, out string, emails bool, secrets []string, args []string) error {
	opts := []cassette.Option{cassette.Secrets(secrets...), cassette.Secrets(strings.Fields(a.getenv("ONAIR_RECORD_SECRETS"))...)}
	for _, p := range providers() {
		opts = append(opts, cassette.Secrets(a.env(p, "CLIENT_SECRET"), a.env(p, "WEBHOOK_SECRET")))
	}
	if emails {
		opts = append(opts, cassette.RedactEmails())
	}
	name := ""
	for _, arg := range args[1:] {
		if p, err := lookupProvider(arg); err == nil {
			name = p.Name()
			break
		}
	}
	rec := cassette.NewRecorder(name, nil, opts...)
	code := a.main(context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: rec}), args)
	if code != exitOK && rec.Len() == 0 {
		// A cassette already at out is worth more than an empty one.
		return errors.New("the recorded command failed before sending anything; nothing written to " + out)
	}
	if err := rec.Save(out); err != nil {
		return err
	}
	a.stderr.printf("onair record: %d exchanges written to %s\n", rec.Len(), out)
	if code != exitOK {
		return errors.New("the recorded command failed; the cassette holds what it sent")
	}
	return nil
}
