package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testScopes = []scopeDoc{{"identity", ""}, {"chat:write", ""}, {"email:read", ""}}

func TestParseAnnotation(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{in: " service=Users method=Me scopes=identity evidence=doc",
			want: map[string]string{"service": "Users", "method": "Me", "scopes": "identity", "evidence": "doc"}},
		{in: " service=Users method=Me scopes=identity email:read evidence=doc",
			want: map[string]string{"service": "Users", "method": "Me", "scopes": "identity email:read", "evidence": "doc"}},
		{in: " stray service=Users", wantErr: `annotation word "stray" has no key`},
		{in: " service=A service=B", wantErr: "annotation key service is repeated"},
		{in: " tag=Users", wantErr: `unknown annotation key "tag"`},
	}
	for _, tt := range tests {
		got, err := parseAnnotation(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parseAnnotation(%q) = %v, want error %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseAnnotation(%q): %v", tt.in, err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("parseAnnotation(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestReadGraphQLOp(t *testing.T) {
	const doc = "# Sends a message.\nmutation Send($input: String!, $n: Int) { send(input: $input, n: $n) { err { code } } }\n"
	tests := []struct {
		name, file, src string
		want            *gqlOperation
		wantErr         string
	}{
		{name: "ok", file: "Send.graphql",
			src: "# onair: service=Chat method=Send scopes=identity chat:write evidence=third-party\n" + doc,
			want: &gqlOperation{Name: "Send", Kind: "mutation", Service: "Chat", Method: "Send",
				Scopes: []string{"identity", "chat:write"}, Evidence: "third-party", Doc: []string{"Sends a message."},
				NonNull: map[string]bool{"input": true, "n": false}}},
		{name: "no scope", file: "Send.graphql",
			src: "# onair: service=Chat method=Send scopes=- evidence=doc\n" + doc,
			want: &gqlOperation{Name: "Send", Kind: "mutation", Service: "Chat", Method: "Send", Evidence: "doc",
				Doc: []string{"Sends a message."}, NonNull: map[string]bool{"input": true, "n": false}}},
		{name: "no annotation", file: "Send.graphql", src: doc, wantErr: "the first line must be"},
		{name: "unknown scope", file: "Send.graphql",
			src: "# onair: service=Chat method=Send scopes=chat:read evidence=doc\n" + doc, wantErr: `scope "chat:read" is not in the spec's oauth2 scopes`},
		{name: "missing scopes", file: "Send.graphql",
			src: "# onair: service=Chat method=Send evidence=doc\n" + doc, wantErr: "scopes= is missing"},
		{name: "bad evidence", file: "Send.graphql",
			src: "# onair: service=Chat method=Send scopes=- evidence=maybe\n" + doc, wantErr: `evidence="maybe"`},
		{name: "lower-case method", file: "Send.graphql",
			src: "# onair: service=Chat method=send scopes=- evidence=doc\n" + doc, wantErr: "must be exported Go names"},
		{name: "file name", file: "Other.graphql",
			src: "# onair: service=Chat method=Send scopes=- evidence=doc\n" + doc, wantErr: `name it after its file, "Other"`},
		{name: "two operations", file: "Send.graphql",
			src: "# onair: service=Chat method=Send scopes=- evidence=doc\n" + doc + "query Other { me { id } }\n", wantErr: "holds 2 operations"},
		{name: "subscription", file: "Send.graphql",
			src: "# onair: service=Chat method=Send scopes=- evidence=doc\nsubscription Send { events { id } }\n", wantErr: "subscription operations are not generated"},
	}
	known := map[string]bool{}
	for _, s := range testScopes {
		known[s.Scope] = true
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readGraphQLOp(path, known)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = filepath.ToSlash(path)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestReadGraphQLOpsRejectsDuplicateMethods(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"A", "B"} {
		src := "# onair: service=Users method=Get scopes=- evidence=doc\nquery " + name + " { me { id } }\n"
		if err := os.WriteFile(filepath.Join(dir, name+".graphql"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := readGraphQLOps(dir, testScopes)
	if err == nil || !strings.Contains(err.Error(), "service=Users method=Get is also") {
		t.Fatalf("err = %v", err)
	}
}

// The project's DLive operation documents plan into the facades the
// package documents: results followed through single-field objects, lists
// from connections, mutations returning only an error unless their payload
// selects more than err.
func TestPlanDLive(t *testing.T) {
	t.Chdir("../..")
	var p *provider
	for _, q := range providers() {
		if q.name == "dlive" {
			p = q
		}
	}
	docs, _, err := readScopes(p.specPath)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := readGraphQLOps(p.gqlDir, docs)
	if err != nil {
		t.Fatal(err)
	}
	file, err := scanGenqlient(p.gqlGo)
	if err != nil {
		t.Fatal(err)
	}
	g := &gqlGen{dir: p.gqlDir, ops: ops, file: file}
	type shape struct {
		Sig, Results, Path string
	}
	got := map[string]shape{}
	for _, op := range ops {
		pl, err := g.plan(op)
		if err != nil {
			t.Fatal(err)
		}
		var path []string
		for _, f := range pl.path {
			path = append(path, graphQLName(f))
		}
		sig, _ := g.signature(pl)
		got[op.Service+"."+op.Method] = shape{sig, g.results(pl), strings.Join(path, ".")}
	}
	want := map[string]shape{
		"Users.Me":                   {"ctx context.Context", "(*gql.Profile, error)", "me"},
		"Users.GetStreamKey":         {"ctx context.Context", "(*gql.StreamKey, error)", "me.private.streamKey"},
		"Users.Search":               {"ctx context.Context, text string, params *UsersSearchParams", "iter.Seq2[gql.UserSummary, error]", "search.users"},
		"Livestreams.List":           {"ctx context.Context, params *LivestreamsListParams", "iter.Seq2[gql.Livestream, error]", "livestreams"},
		"Chat.Send":                  {"ctx context.Context, input gql.SendStreamchatMessageInput", "(gql.ChatMessage, error)", "sendStreamchatMessage.message"},
		"Relationships.Follow":       {"ctx context.Context, streamer string", "error", "follow"},
		"Moderation.Ban":             {"ctx context.Context, streamer string, username string", "error", "streamchatUserBan"},
		"Chat.SetInterval":           {"ctx context.Context, seconds int", "error", "chatIntervalSet"},
		"Users.GetByDisplayName":     {"ctx context.Context, displayname string", "(*gql.Channel, error)", "userByDisplayName"},
		"Livestreams.ListFollowing":  {"ctx context.Context, params *LivestreamsListFollowingParams", "iter.Seq2[gql.Livestream, error]", "livestreamsFollowing"},
		"Moderation.RemoveModerator": {"ctx context.Context, username string", "error", "moderatorRemove"},
	}
	for name, w := range want {
		if d := cmp.Diff(w, got[name]); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
}
