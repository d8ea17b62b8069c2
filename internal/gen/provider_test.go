package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// x-onair-provider is read into the provider the generator writes, with
// dir defaulting to the package; a spec without it, or with a value the
// generated code could not use, fails with a message naming what is wrong.
func TestLoadProvider(t *testing.T) {
	tests := []struct {
		name, ext string
		want      *provider // nil: an error containing wantErr
		wantErr   string
	}{
		{"minimal", "{package: acme, title: Acme, scopeType: Acme}",
			&provider{name: "acme", dir: "acme", title: "Acme", scopeType: "Acme"}, ""},
		{"everything", `
  package: dl
  dir: internal/x/dl
  title: DL
  scopeType: DL
  endpoint: Endpoint
  rateLimit: true
  jsonAPI: true
  graphql: {dir: specs/dl, go: dl/internal/gql/gql.gen.go, schema: specs/dl.graphql}
  shortcuts: [{name: Me, op: Users.Me, what: returns the user}]`,
			&provider{name: "dl", dir: "internal/x/dl", title: "DL", scopeType: "DL", endpoint: "Endpoint",
				rateLimit: true, jsonAPI: true, gqlDir: "specs/dl", gqlGo: "dl/internal/gql/gql.gen.go", gqlSchema: "specs/dl.graphql",
				shortcuts: []shortcut{{name: "Me", op: "Users.Me", what: "returns the user"}}}, ""},
		{"missing", "", nil, "no x-onair-provider"},
		{"package", "{package: Acme, title: Acme, scopeType: Acme}", nil, `package "Acme"`},
		{"title", "{package: acme, scopeType: Acme}", nil, "title is missing"},
		{"scope type", "{package: acme, title: Acme, scopeType: acme}", nil, `scopeType "acme"`},
		{"dir", "{package: acme, dir: ../acme, title: Acme, scopeType: Acme}", nil, `dir "../acme"`},
		{"graphql", "{package: acme, title: Acme, scopeType: Acme, graphql: {dir: specs/acme}}", nil, "graphql needs all"},
		{"shortcut", "{package: acme, title: Acme, scopeType: Acme, shortcuts: [{name: me, op: A.B, what: x}]}", nil, `shortcut "me"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "spec.yaml")
			src := "openapi: 3.0.3\n"
			if tt.ext != "" {
				src += "x-onair-provider: " + tt.ext + "\n"
			}
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := loadProvider(path)
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.specPath = path
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(provider{}, shortcut{})); diff != "" {
				t.Errorf("provider (-want +got):\n%s", diff)
			}
		})
	}
}

// Two specs may not generate the same package, directory or scope type:
// their files would overwrite each other's.
func TestLoadProvidersDuplicate(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, ext := range []string{
		"{package: one, title: One, scopeType: Same}",
		"{package: two, title: Two, scopeType: Same}",
	} {
		path := filepath.Join(dir, strconv.Itoa(i)+".yaml")
		if err := os.WriteFile(path, []byte("x-onair-provider: "+ext+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	_, err := loadProviders(paths)
	if err == nil || !strings.Contains(err.Error(), "scope type Same is also") {
		t.Fatalf("err = %v, want one naming the shared scope type", err)
	}
}

// x-onair-websocket is read for the subscription options; its url must be
// wss:// and its keep-alive positive.
func TestLoadProviderWebSocket(t *testing.T) {
	for _, tt := range []struct {
		name, ws string
		want     *websocketExt // nil: an error containing wantErr
		wantErr  string
	}{
		{"read", "{url: 'wss://ws.example', observedUrl: 'wss://other.example', keepAliveSeconds: 25, protocol: x}",
			&websocketExt{URL: "wss://ws.example", ObservedURL: "wss://other.example", KeepAliveSeconds: 25}, ""},
		{"plain ws", "{url: 'ws://ws.example', keepAliveSeconds: 25}", nil, "is not a wss:// URL"},
		{"no keep-alive", "{url: 'wss://ws.example'}", nil, "keepAliveSeconds must be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "spec.yaml")
			src := "openapi: 3.0.3\nx-onair-provider: {package: acme, title: Acme, scopeType: Acme}\nx-onair-websocket: " + tt.ws + "\n"
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := loadProvider(path)
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.websocket); diff != "" {
				t.Errorf("websocket (-want +got):\n%s", diff)
			}
		})
	}
}
