package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// sameLogin refuses flags or environment variables (given, as the command
// line set them, and resolved, with the environment's) that name another
// server, app or tenant than the stored login recorded: its refresh token
// means nothing there, so a request would send it and the app's secret to
// a server that did not issue it, and read the refusal as the login's end.
func (a *app) sameLogin(p provider, given, resolved clientFlags, meta *loginMeta) error {
	upper := strings.ToUpper(p.Name())
	var used, named, undo []string
	check := func(flagValue, value, recorded, flag, env string, describe func(string) string) {
		if value == "" || asStored(value) == recorded {
			return
		}
		used = append(used, describe(recorded))
		if flagValue != "" {
			named = append(named, fmt.Sprintf("--%s names %s", flag, describe(value)))
			undo = append(undo, "drop --"+flag)
		} else {
			named = append(named, fmt.Sprintf("ONAIR_%s_%s names %s", upper, env, describe(value)))
			undo = append(undo, fmt.Sprintf("unset ONAIR_%s_%s", upper, env))
		}
	}
	check(given.baseURL, resolved.baseURL, strings.TrimSuffix(meta.BaseURL, "/"), "base-url", "BASE_URL", func(u string) string {
		if u == "" {
			return p.Title() + " itself"
		}
		return "the server at " + redactURL(u)
	})
	check(given.clientID, resolved.clientID, meta.ClientID, "client-id", "CLIENT_ID", func(id string) string {
		return fmt.Sprintf("client ID %q", id)
	})
	check(given.tenant, resolved.tenant, meta.Tenant, "tenant", "TENANT", func(t string) string {
		return fmt.Sprintf("tenant %q", t)
	})
	if len(named) == 0 {
		return nil
	}
	return usagef("the stored %s login used %s, but %s: %s to use the login's, or run %q with them to log in there first",
		p.Title(), strings.Join(used, " and "), strings.Join(named, " and "), strings.Join(undo, " and "), loginLine(p, false))
}

// asStored returns s as the login's details store it: JSON holds only
// valid UTF-8, so each invalid byte becomes U+FFFD.
func asStored(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		return s
	}
	var stored string
	if err := json.Unmarshal(b, &stored); err != nil {
		return s
	}
	return stored
}
