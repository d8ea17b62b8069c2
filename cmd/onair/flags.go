package main

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
)

// listFlag collects values given as comma- or space-separated lists, by
// repeating the flag, or both.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, strings.FieldsFunc(v, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })...)
	return nil
}

// clientFlags say which app of the provider to use, and where the
// provider is; each falls back to an environment variable.
type clientFlags struct {
	clientID, clientSecret string
	tenant                 string
	baseURL                string
}

func (c *clientFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&c.clientID, "client-id", "", "your app's `id` at the provider (default $ONAIR_<PROVIDER>_CLIENT_ID)")
	fs.StringVar(&c.clientSecret, "client-secret", "", "your app's `secret` at the provider (default $ONAIR_<PROVIDER>_CLIENT_SECRET;\nprefer the variable: other users can see a process's arguments)")
	fs.StringVar(&c.tenant, "tenant", "", "Streamdiver only: your tenant's `shortcode` (default $ONAIR_STREAMDIVER_TENANT)")
	fs.StringVar(&c.baseURL, "base-url", "", "send the provider's requests to the server at `url` instead, such as one\n\"onair sandbox\" serves (default $ONAIR_<PROVIDER>_BASE_URL)")
}

// env returns the environment variable ONAIR_<PROVIDER>_<what>.
func (a *app) env(p provider, what string) string {
	return a.getenv("ONAIR_" + strings.ToUpper(p.Name()) + "_" + what)
}

// resolve fills in what the flags left out from the environment.
func (c clientFlags) resolve(a *app, p provider) (clientFlags, error) {
	or := func(v, env string) string {
		if v != "" {
			return v
		}
		return a.env(p, env)
	}
	r := clientFlags{
		clientID:     or(c.clientID, "CLIENT_ID"),
		clientSecret: or(c.clientSecret, "CLIENT_SECRET"),
		tenant:       or(c.tenant, "TENANT"),
		baseURL:      or(c.baseURL, "BASE_URL"),
	}
	if r.tenant != "" && !p.NeedsTenant() {
		return r, usagef("--tenant is for %s only", tenantProviders())
	}
	if r.baseURL != "" {
		b, err := checkBaseURL(r.baseURL)
		if err != nil {
			return r, err
		}
		r.baseURL = b
	}
	return r, nil
}

// checkBaseURL accepts https, and plain http only to a loopback address:
// the client secret and the tokens go there.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err == nil && u.User != nil {
		// Not quoted: the user info may hold a password, and onair names
		// the base URL in its messages.
		return "", usagef("the base URL %s holds a user name or password: pass the server's URL alone, such as %s", u.Redacted(), (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String())
	}
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", usagef("the base URL %q is not an absolute URL such as http://127.0.0.1:8080", raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return "", usagef("the base URL %q must use https (plain http only to a loopback address such as 127.0.0.1)", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// missingClientID explains where a client ID comes from.
func missingClientID(p provider) error {
	return usagef("no client ID for %s: pass --client-id or set ONAIR_%s_CLIENT_ID (or try it with --sandbox)",
		p.Title(), strings.ToUpper(p.Name()))
}

// missingClientSecret explains where a client secret comes from, for a
// request (what: "refreshing") that cannot go without it.
func missingClientSecret(p provider, what string) error {
	return fmt.Errorf("%s a %s token needs your app's client secret: set ONAIR_%s_CLIENT_SECRET (or pass --client-secret)",
		what, p.Title(), strings.ToUpper(p.Name()))
}

// describeEndpoint says where requests go, for messages.
func describeEndpoint(baseURL string) string {
	if baseURL == "" {
		return "the provider"
	}
	return redactURL(baseURL)
}

// redactURL returns a base URL for messages, without the password a
// login's details may hold from before checkBaseURL refused user info.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// tenantProviders names the providers whose endpoint needs a tenant.
func tenantProviders() string {
	var titles []string
	for _, p := range providers() {
		if p.NeedsTenant() {
			titles = append(titles, p.Title())
		}
	}
	return strings.Join(titles, " and ")
}
