package dlivetest

import (
	"testing"

	"github.com/vektah/gqlparser/v2"

	"github.com/onair-go/onair/dlive/internal/gql"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/scopetest"
	"github.com/onair-go/onair/scopes"
)

// typedDocuments are the GraphQL documents of the typed operations, by
// operation name.
func typedDocuments() map[string]string {
	return map[string]string{
		"ChatDelete": gql.ChatDelete_Operation, "ChatIntervalSet": gql.ChatIntervalSet_Operation, "Follow": gql.Follow_Operation,
		"Livestreams": gql.Livestreams_Operation, "LivestreamsFollowing": gql.LivestreamsFollowing_Operation, "Me": gql.Me_Operation,
		"MePrivate": gql.MePrivate_Operation, "MeStreamKey": gql.MeStreamKey_Operation, "ModeratorRemove": gql.ModeratorRemove_Operation,
		"Search": gql.Search_Operation, "SendStreamchatMessage": gql.SendStreamchatMessage_Operation,
		"StreamchatUserBan": gql.StreamchatUserBan_Operation, "StreamchatUserUnban": gql.StreamchatUserUnban_Operation,
		"Unfollow": gql.Unfollow_Operation, "User": gql.User_Operation, "UserByDisplayName": gql.UserByDisplayName_Operation,
		"ModeratorAdd": gql.ModeratorAdd_Operation, "UserTimeoutSet": gql.UserTimeoutSet_Operation, "ChatModeSet": gql.ChatModeSet_Operation,
		"FilterWordAdd": gql.FilterWordAdd_Operation, "FilterWordDelete": gql.FilterWordDelete_Operation,
		"StreamTemplateSet": gql.StreamTemplateSet_Operation, "GiveawayClaim": gql.GiveawayClaim_Operation, "HostSet": gql.HostSet_Operation,
		"EmoteAdd": gql.EmoteAdd_Operation, "EmoteSave": gql.EmoteSave_Operation, "EmoteDelete": gql.EmoteDelete_Operation,
	}
}

// The sandbox runs a typed operation's document for a user token exactly
// when scopes.Covers says the token's scopes satisfy what dlive's
// operation table says the operation needs, for every set of scopes
// scopetest.Sets tries. The decision is the sandbox's own: the GraphQL
// handler's refusals, field by field, for the grant the engine makes
// under this sandbox's rule.
func TestScopesAsCovers(t *testing.T) {
	p, err := provider(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a := newAPI()
	prepared := map[string]*operation{}
	var ops []scopetest.Op
	for name, query := range typedDocuments() {
		doc, errs := gqlparser.LoadQuery(a.exec.schema, query)
		if errs != nil {
			t.Fatalf("%s: %v", name, errs)
		}
		op, ok := operations[name]
		if !ok {
			t.Fatalf("the sandbox's operation table lacks %s", name)
		}
		var need [][]string
		for _, alt := range op.Scopes() {
			var all []string
			for _, s := range alt {
				all = append(all, string(s))
			}
			need = append(need, all)
		}
		prepared[string(op)] = &operation{doc: doc, op: doc.Operations[0]}
		ops = append(ops, scopetest.Op{Name: string(op), Needs: need})
	}
	scopetest.Check[scopes.DLive](t, ops, func(granted []string, op scopetest.Op) bool {
		errs, _ := a.refusals(prepared[op.Name], p.Grant("client", p.User, granted))
		return len(errs) == 0
	})
}
