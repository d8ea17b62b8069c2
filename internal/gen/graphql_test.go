package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/apispec"
)

var testScopes = []scopeDoc{{"identity", ""}, {"chat:write", ""}, {"email:read", ""}}

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
		// A subscription's method is hand-written; its events get types.
		{name: "subscription", file: "Events.graphql",
			src: "# onair: service=Chat method=Subscribe scopes=- evidence=doc\nsubscription Events($streamer: String!) { events(streamer: $streamer) { id } }\n",
			want: &gqlOperation{Name: "Events", Kind: "subscription", Service: "Chat", Method: "Subscribe", Evidence: "doc",
				NonNull: map[string]bool{"streamer": true}}},
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

// loadDLive plans the project's DLive operations as go generate does.
func loadDLive(t *testing.T) *gqlGen {
	t.Helper()
	t.Chdir("../..")
	p, err := loadProvider("specs/dlive.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := apispec.Load(context.Background(), p.specPath)
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err := readScopes(p.specPath)
	if err != nil {
		t.Fatal(err)
	}
	hand, err := declaredByHand(p.name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := loadGraphQL(&facadeGen{p: p, spec: spec, hand: hand, docs: docs})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The project's DLive operation documents plan into the facades the
// package documents: results followed through single-field objects, lists
// from connections, mutations returning only an error unless their payload
// selects more than err; every method takes per-call options last and
// speaks the package's own types.
func TestPlanDLive(t *testing.T) {
	g := loadDLive(t)
	type shape struct {
		Sig, Results, Path string
	}
	got := map[string]shape{}
	for _, pl := range g.plans {
		var path []string
		for _, f := range pl.path {
			path = append(path, graphQLName(f))
		}
		sig, _ := g.signature(pl)
		got[g.opName(pl.op)] = shape{sig, g.results(pl), strings.Join(path, ".")}
	}
	const opts = ", opts ...onair.CallOption"
	want := map[string]shape{
		"Users.Me":                   {"ctx context.Context" + opts, "(*Profile, error)", "me"},
		"Users.GetStreamKey":         {"ctx context.Context" + opts, "(*StreamKey, error)", "me.private.streamKey"},
		"Users.Search":               {"ctx context.Context, text string, params *SearchUsersParams" + opts, "iter.Seq2[UserSummary, error]", "search.users"},
		"Livestreams.List":           {"ctx context.Context, params *ListLivestreamsParams" + opts, "iter.Seq2[Livestream, error]", "livestreams"},
		"Chat.Send":                  {"ctx context.Context, input SendStreamchatMessageInput" + opts, "(ChatMessage, error)", "sendStreamchatMessage.message"},
		"Relationships.Follow":       {"ctx context.Context, streamer string" + opts, "error", "follow"},
		"Moderation.Ban":             {"ctx context.Context, streamer string, username string" + opts, "error", "streamchatUserBan"},
		"Chat.SetInterval":           {"ctx context.Context, seconds int" + opts, "error", "chatIntervalSet"},
		"Users.GetByDisplayName":     {"ctx context.Context, displayname string" + opts, "(*Channel, error)", "userByDisplayName"},
		"Livestreams.ListFollowing":  {"ctx context.Context, params *ListFollowingLivestreamsParams" + opts, "iter.Seq2[Livestream, error]", "livestreamsFollowing"},
		"Moderation.RemoveModerator": {"ctx context.Context, username string" + opts, "error", "moderatorRemove"},
	}
	for name, w := range want {
		if d := cmp.Diff(w, got[name]); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
}

// The public types are the package's own, named as Go names them, and
// each genqlient type has exactly one: an interface's implementations
// lose the interface's name, and kinds come from the schema.
func TestPublicTypesDLive(t *testing.T) {
	g := loadDLive(t)
	type typ struct {
		Name   string
		Kind   gqlKind
		Fields []string
	}
	got := map[string]typ{}
	for _, pt := range g.types {
		var fields []string
		for _, f := range pt.fields {
			fields = append(fields, f.name+" "+g.ref(f.src.typ)+" "+f.src.json)
		}
		got[pt.gql] = typ{pt.name, pt.kind, fields}
	}
	want := map[string]typ{
		"Livestream": {"Livestream", kindObject, []string{"ID string id", "Permlink string permlink", "Title string title",
			"WatchingCount int watchingCount", "ThumbnailURL string thumbnailUrl", "Category *Category category",
			"Language *Language language", "Creator *Profile creator"}},
		"Profile":     {"Profile", kindObject, []string{"Username string username", "DisplayName string displayname", "Avatar string avatar"}},
		"ChatMessage": {"ChatMessage", kindInterface, nil},
		"ChatMessageChatText": {"ChatText", kindObject, []string{"Type ChatType type", "ID string id", "Content string content", "CreatedAt string createdAt",
			"Emojis []int emojis", "SubLength int subLength", "Sender *ChatSender sender", "Subscribing bool subscribing", "Role Role role", "RoomRole RoomRole roomRole"}},
		"ChatSender": {"ChatSender", kindObject, []string{"ID string id", "Username string username", "DisplayName string displayname", "Avatar string avatar",
			"PartnerStatus PartnerStatus partnerStatus", "Badges []BadgeType badges", "Effect string effect"}},
		"TreasureChestMessage":                          {"TreasureChestMessage", kindInterface, nil},
		"TreasureChestMessageTreasureChestValueUpdated": {"TreasureChestValueUpdated", kindObject, []string{"Type TreasureChestMessageType type", "Value string value"}},
		"ChatType":                   {"ChatType", kindEnum, nil},
		"SendStreamchatMessageInput": {"SendStreamchatMessageInput", kindInput, []string{"Streamer string streamer", "Message string message", "RoomRole RoomRole roomRole", "Subscribing bool subscribing", "Emojis []int emojis"}},
	}
	for n, w := range want {
		if d := cmp.Diff(w, got[n]); d != "" {
			t.Errorf("%s (-want +got):\n%s", n, d)
		}
	}
	// genqlient makes a type of every implementation of the interface the
	// schema declares, selected or not; each becomes a public type.
	var impls []string
	for _, d := range g.schema.GetPossibleTypes(g.schema.Types["StreamchatMessage"]) {
		impls = append(impls, "ChatMessage"+d.Name)
	}
	slices.Sort(impls)
	if it := g.types["ChatMessage"]; it == nil || !slices.Contains(impls, "ChatMessageChatText") || !slices.Equal(it.impls, impls) {
		t.Errorf("ChatMessage's implementations = %v, want %v", it, impls)
	}
	if got := g.types["LivestreamSortOrder"].enumConsts(); !slices.Equal(got, []string{"LivestreamSortOrderTrending", "LivestreamSortOrderNew"}) {
		t.Errorf("LivestreamSortOrder's constants = %v", got)
	}
}

func TestGraphQLNames(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"id", "ID"}, {"thumbnailUrl", "ThumbnailURL"}, {"languageID", "LanguageID"}, {"showNSFW", "ShowNSFW"},
		{"displayname", "DisplayName"}, {"partnerStatus", "PartnerStatus"}, {"createdAt", "CreatedAt"},
	} {
		if got := gqlFieldName(tt.in); got != tt.want {
			t.Errorf("gqlFieldName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ typ, value, want string }{
		{"LivestreamSortOrder", "TRENDING", "LivestreamSortOrderTrending"},
		{"PartnerStatus", "VERIFIED_PARTNER", "PartnerStatusVerifiedPartner"},
		{"ChatType", "ChatMode", "ChatTypeChatMode"},
		{"RelationSortOrder", "AZ", "RelationSortOrderAz"},
		{"Kind", "API_KEY", "KindAPIKey"},
	} {
		if got := enumConstName(tt.typ, tt.value); got != tt.want {
			t.Errorf("enumConstName(%q, %q) = %q, want %q", tt.typ, tt.value, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"A live stream.", "a live stream."},
		{"A DLive user and their channel", "a DLive user and their channel."},
		{"DLive's own list.", "DLive's own list."},
		{"The kind of a chat event.", "the kind of a chat event."},
		{"", ""},
	} {
		if got := sentence(tt.in); got != tt.want {
			t.Errorf("sentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
