package dlivetest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
)

// A hand-written query may use aliases, named and inline fragments,
// variables with defaults, __typename and @skip/@include.
func TestHandWrittenQuery(t *testing.T) {
	c := client(t, start(t), allScopes...)
	query := `
query Channel($name: String!, $first: Int = 2, $withStream: Boolean!) {
  demo: user(username: $name) {
    __typename
    ...card
    livestream @include(if: $withStream) { title creator { displayname } }
    followers(first: $first) { totalCount list { ... on User { username } } pageInfo { hasNextPage endCursor } }
  }
  pilot: user(username: "dlive-12345678") { ...card isFollowing wallet @skip(if: true) { balance } }
  nobody: user(username: "dlive-00000000") { username }
  me { ... { username } private { email } }
  globalInfo { languages { code } }
}
fragment card on User { username displayname partnerStatus }`
	got := do(t, c, query, map[string]any{"name": loginUsername, "withStream": true})
	want := map[string]any{
		"demo": map[string]any{
			"__typename": "User", "username": loginUsername, "displayname": loginDisplayname, "partnerStatus": "NONE",
			"livestream": map[string]any{"title": "Building onair, a Go SDK for live streaming", "creator": map[string]any{"displayname": loginDisplayname}},
			"followers": map[string]any{"totalCount": 4.0,
				"list":     []any{map[string]any{"username": "dlive-78901235"}, map[string]any{"username": pixelPilot}},
				"pageInfo": map[string]any{"hasNextPage": true, "endCursor": "2"}},
		},
		"pilot":      map[string]any{"username": pixelPilot, "displayname": "PixelPilot", "partnerStatus": "NONE", "isFollowing": false},
		"nobody":     nil,
		"me":         map[string]any{"username": loginUsername, "private": map[string]any{"email": loginEmail}},
		"globalInfo": map[string]any{"languages": []any{map[string]any{"code": "en"}, map[string]any{"code": "de"}, map[string]any{"code": "es"}, map[string]any{"code": "fr"}, map[string]any{"code": "pt"}}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A mutation's interface-typed result resolves fragments on its object
// type; a refusal fills err and leaves message null.
func TestHandWrittenMutation(t *testing.T) {
	c := client(t, start(t), allScopes...)
	query := `
mutation Send($in: SendStreamchatMessageInput!) {
  sent: sendStreamchatMessage(input: $in) {
    err { code }
    message { __typename type ... on ChatText { content sender { username } } ...extra }
  }
  again: follow(streamer: "dlive-34567890") { err { code message } }
}
fragment extra on ChatText { roomRole subscribing }`
	got := do(t, c, query, map[string]any{"in": map[string]any{"streamer": pixelPilot, "message": "gg", "roomRole": "Member", "subscribing": true}})
	want := map[string]any{
		"sent": map[string]any{"err": nil, "message": map[string]any{"__typename": "ChatText", "type": "Message", "content": "gg",
			"sender": map[string]any{"username": loginUsername}, "roomRole": "Member", "subscribing": true}},
		"again": map[string]any{"err": map[string]any{"code": float64(codeAlreadyFollowing), "message": "already following"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// The answer's members keep the order of the query, aliases included.
func TestAnswerOrder(t *testing.T) {
	srv := start(t)
	body := `{"query":"{ b: globalInfo { __typename } a: user(username: \"dlive-12345678\") { username id } }"}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", srv.IssueToken().AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	want := `{"data":{"b":{"__typename":"GlobalInfo"},"a":{"username":"dlive-12345678","id":"user:dlive-12345678"}}}` + "\n"
	if resp.StatusCode != http.StatusOK || string(got) != want {
		t.Errorf("HTTP %d %s, want 200 %s", resp.StatusCode, got, want)
	}
}

// A query the schema refuses is answered 422 with GraphQL errors, as
// gqlgen does, before any field runs.
func TestValidation(t *testing.T) {
	tests := []struct {
		name, query, opName string
		vars                map[string]any
		code, message       string
	}{
		{"unknown field", `{ me { nope } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "nope" on type "User".`},
		{"wrong argument type", `{ user(username: 5) { id } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `String cannot represent a non string value: 5`},
		{"missing argument", `{ user { id } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `argument "username" of type "String!" is required`},
		{"leaf without selection", `{ user(username: "x") }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `must have a selection of subfields`},
		{"unknown enum value", `{ livestreams(input: {order: HOT}) { totalCount } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `HOT`},
		{"missing variable", `query($u: String!) { user(username: $u) { id } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `must be defined`},
		{"wrong variable type", `query($n: Int) { livestreams(input: {first: $n}) { totalCount } }`, "", map[string]any{"n": "ten"},
			"GRAPHQL_VALIDATION_FAILED", `cannot use string as Int`},
		{"non-integer Int", `query($n: Int) { livestreams(input: {first: $n}) { totalCount } }`, "", map[string]any{"n": 1.5},
			"GRAPHQL_VALIDATION_FAILED", `cannot use value`},
		{"undefined variable", `{ user(username: $u) { id } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `Variable "$u" is not defined`},
		{"parse error", `{ me { `, "", nil, "GRAPHQL_PARSE_FAILED", `Expected Name, found <EOF>`},
		{"unknown operation", `query A { me { id } }`, "B", nil, "GRAPHQL_VALIDATION_FAILED", `operation "B" not found`},
		{"no operation", `# nothing`, "", nil, "GRAPHQL_VALIDATION_FAILED", `no operation provided`},
		{"no operation name", `query A { me { id } } query B { me { id } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `an operation name is required`},
		{"subscription", `subscription { streamMessageReceived(streamer: "x") { type } }`, "", nil, "GRAPHQL_VALIDATION_FAILED", `WebSocket`},
	}
	c := client(t, start(t), allScopes...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := dlive.GraphQLRequest{Query: tt.query}
			if tt.opName != "" {
				req.OperationName = tt.opName
			}
			if tt.vars != nil {
				req.Variables = tt.vars
			}
			_, err := c.GraphQL.Do(context.Background(), req)
			var de *dlive.Error
			if !errors.As(err, &de) || de.StatusCode != http.StatusUnprocessableEntity || len(de.Errors) == 0 {
				t.Fatalf("err = %v, want DLive's 422 with GraphQL errors", err)
			}
			e := de.Errors[0]
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.message)
			}
			if e.Extensions == nil || (e.Extensions)["code"] != tt.code {
				t.Errorf("extensions = %v, want code %s", e.Extensions, tt.code)
			}
		})
	}
}

// A field that fails is null with an error at its path; the rest of the
// answer stands. A non-null field that fails nulls its parent.
func TestFieldErrors(t *testing.T) {
	c := client(t, start(t), allScopes...)
	r, err := c.GraphQL.Do(context.Background(), dlive.GraphQLRequest{Query: `{
  user(username: "dlive-12345678") { username followers(after: "x") { totalCount } }
  livestreams(input: {first: -1}) { totalCount }
  globalInfo { __typename }
}`})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"user": map[string]any{"username": pixelPilot, "followers": nil}, "livestreams": nil,
		"globalInfo": map[string]any{"__typename": "GlobalInfo"}}
	if d := cmp.Diff(want, r.Data); d != "" {
		t.Errorf("data (-want +got):\n%s", d)
	}
	wantErrs := []dlive.GraphQLError{
		{Message: `invalid cursor "x"`, Path: []any{"user", "followers"}, Locations: []dlive.GraphQLErrorLocation{{Line: 2, Column: 47}}},
		{Message: "first must not be negative", Path: []any{"livestreams"}, Locations: []dlive.GraphQLErrorLocation{{Line: 3, Column: 3}}},
	}
	if r.Errors == nil {
		t.Fatal("no errors")
	}
	if d := cmp.Diff(wantErrs, r.Errors); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}

	// Introspection is not served: __schema is non-null, so data is null.
	r, err = c.GraphQL.Do(context.Background(), dlive.GraphQLRequest{Query: `{ __schema { queryType { name } } }`})
	if err != nil {
		t.Fatal(err)
	}
	if r.Data != nil || r.Errors == nil || !strings.Contains((r.Errors)[0].Message, "not implemented by the sandbox") {
		t.Errorf("introspection = %v, %v; want null data and a not implemented error", r.Data, r.Errors)
	}
}

// Missing scopes are refused field by field, before anything runs: the
// 403 names every missing scope, and each error the field that needs it.
func TestScopeRefusalNamesEachField(t *testing.T) {
	c := client(t, start(t), "identity")
	_, err := c.GraphQL.Do(context.Background(), dlive.GraphQLRequest{Query: `mutation {
  follow(streamer: "dlive-12345678") { err { code } }
  x: chatIntervalSet(seconds: 3) { err { code } }
}`})
	var de *dlive.Error
	if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want 403", err)
	}
	code := map[string]any{"code": "insufficient_scope"}
	want := []dlive.GraphQLError{
		{Message: "missing scope relationship:write", Path: []any{"follow"}, Locations: []dlive.GraphQLErrorLocation{{Line: 2, Column: 3}}, Extensions: code},
		{Message: "missing scope moderation:write", Path: []any{"x"}, Locations: []dlive.GraphQLErrorLocation{{Line: 3, Column: 3}}, Extensions: code},
	}
	if d := cmp.Diff(want, de.Errors); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// Nothing ran: the follow did not happen.
	if err := client(t, start(t), allScopes...).Relationships.Follow(context.Background(), pixelPilot); err != nil {
		t.Errorf("Follow: %v", err)
	}
}

// The scopes the sandbox asks of each typed operation's document are the
// ones dlive's operation table names.
func TestScopesMatchOperations(t *testing.T) {
	docs := typedDocuments()
	if len(docs) != len(operations) {
		t.Errorf("%d documents, %d operations", len(docs), len(operations))
	}
	a := newAPI()
	for name, query := range docs {
		t.Run(name, func(t *testing.T) {
			op, ok := operations[name]
			if !ok {
				t.Fatalf("operations lacks %s", name)
			}
			doc, errs := gqlparser.LoadQuery(a.exec.schema, query)
			if errs != nil {
				t.Fatal(errs)
			}
			if got := doc.Operations[0].Name; got != name {
				t.Fatalf("the document's operation is %s", got)
			}
			var got [][]string
			for _, n := range a.exec.needs(&operation{doc: doc, op: doc.Operations[0]}, gate(sandbox.Grant{User: loginUsername})) {
				got = append(got, n.scopes...)
			}
			var want [][]string
			for _, alt := range op.Scopes() {
				var all []string
				for _, s := range alt {
					all = append(all, string(s))
				}
				want = append(want, all)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: (-operation table +sandbox):\n%s", op, d)
			}
		})
	}
}

// Each request example in specs/dlive.yaml gets its example answer
// (a new message's id and time aside).
func TestSpecExamples(t *testing.T) {
	spec, err := apispec.Load(context.Background(), "../../specs/dlive.yaml")
	if err != nil {
		t.Fatal(err)
	}
	post := spec.Doc.Paths.Value("/").Post
	examples := func(ext map[string]any) map[string]any {
		var out map[string]any
		b, _ := json.Marshal(ext["x-onair-examples"])
		json.Unmarshal(b, &out)
		return out
	}
	requests := examples(post.RequestBody.Value.Content["application/json"].Extensions)
	answers := examples(post.Responses.Status(200).Value.Content["application/json"].Extensions)
	requests["default"] = map[string]any{"value": post.RequestBody.Value.Content["application/json"].Example}
	answers["default"] = map[string]any{"value": post.Responses.Status(200).Value.Content["application/json"].Example}
	if len(requests) < 5 {
		t.Fatalf("only %d request examples", len(requests))
	}
	for name, ex := range requests {
		t.Run(name, func(t *testing.T) {
			var req dlive.GraphQLRequest
			b, _ := json.Marshal(ex.(map[string]any)["value"])
			if err := json.Unmarshal(b, &req); err != nil {
				t.Fatal(err)
			}
			r, err := client(t, start(t), allScopes...).GraphQL.Do(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			var want dlive.GraphQLResponse
			b, _ = json.Marshal(answers[name].(map[string]any)["value"])
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if m, ok := (r.Data)["sendStreamchatMessage"].(map[string]any); ok {
				msg := m["message"].(map[string]any)
				msg["id"] = "5f2c8a1e-8b0d-4c47-9d51-0e6a2f3b7c11"
			}
			if d := cmp.Diff(want, *r); d != "" {
				t.Errorf("(-example +sandbox):\n%s", d)
			}
		})
	}
}

// Every field a query can reach resolves, with all scopes; introspection
// and subscriptions aside.
func TestEveryField(t *testing.T) {
	c := client(t, start(t), append(allScopes, "language:read", "subscription:read", "streamtemplate:read", "moderation:read")...)
	conn := `totalCount pageInfo { startCursor endCursor hasNextPage hasPreviousPage }`
	stream := `id permlink title watchingCount totalReward thumbnailUrl view
		category { id backendID title } language { id backendID language code } creator { username }`
	user := `id username displayname avatar partnerStatus about isFollowing wallet { balance totalEarning }
		livestream { ` + stream + ` }
		followers(first: 1, sortedBy: AZ) { ` + conn + ` list { username } }
		following { ` + conn + ` list { username } }
		pastBroadcasts { ` + conn + ` list { permlink title thumbnailUrl createdAt viewCount playbackUrl creator { username } } }
		videos { ` + conn + ` list { permlink title thumbnailUrl createdAt viewCount creator { username } } }
		chatModerators { ` + conn + ` list { username } }
		chatBannedUsers { ` + conn + ` list { username } }`
	query := `{
  me { ` + user + ` private { email phone language filterWords streamKey { key }
    subscribers { ` + conn + ` list { username } } subscribing { ` + conn + ` list { streamer { username } } }
    streamTemplate { title ageRestriction thumbnailUrl disableAlert category { title } language { code } } } }
  user(username: "dlive-34567890") { ` + user + ` private { email } }
  userByDisplayName(displayname: "nightowl") { username }
  livestreams(input: {first: 2, languageID: 1, categoryID: 4, showNSFW: false, order: TRENDING}) { ` + conn + ` list { ` + stream + ` } }
  livestreamsFollowing(first: 1) { ` + conn + ` list { id } }
  search(text: "s") {
    users(first: 2) { ` + conn + ` list { username } }
    livestreams { ` + conn + ` list { id } }
    videos { ` + conn + ` list { permlink } }
    trendingCategories { ` + conn + ` list { id backendID title } }
  }
  globalInfo { languages { id backendID language code } }
}`
	data := do(t, c, query, nil)
	me := data["me"].(map[string]any)
	if p := me["private"].(map[string]any); p["email"] != loginEmail || p["phone"] != nil || p["streamTemplate"] == nil {
		t.Errorf("me.private = %v", p)
	}
	if data["user"].(map[string]any)["private"] != nil {
		t.Error("another user's private fields are readable")
	}
	if n := data["search"].(map[string]any)["trendingCategories"].(map[string]any)["totalCount"]; n != 6.0 {
		t.Errorf("categories matching s: %v, want 6", n)
	}
}
