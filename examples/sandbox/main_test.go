package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		`exchange      GET, client auth in the query, token_type "access_token" → Type() "Bearer"`,
		`scope rules   refused before any request: auth: Config.Scopes: scopes: livestorm: "full:write" must be the only scope`,
		"API call      200 OK (bare token)",
		"narrow        to email:read refused before any request: true",
		"reuse         the spent refresh token: invalid_grant (no secret in the text: true)",
		"token         POST /realms/acme/protocol/openid-connect/token",
		"all four dialects passed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
