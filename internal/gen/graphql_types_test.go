package main

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gqlparser "github.com/vektah/gqlparser/v2"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// chatSchema has an interface with two implementations, an enum and an
// input object, as genqlient's output below selects them.
const chatSchema = `
"An event in a chat."
interface Event { type: Kind! }
"A text message."
type Text implements Event {
  type: Kind!
  "The message's id."
  id: String!
  body: String
  sender: User
}
"A donation."
type Gift implements Event { type: Kind! amount: Int }
type User { displayname: String avatarUrl: String }
"The kind of an event."
enum Kind { MESSAGE GIFT_SUB }
input Send { "Who receives it." streamer: String! kind: Kind! }
type Query { events: [Event!] users: [User] }
`

// genqlient's output for chatSchema, as far as the generator reads it.
const chatGo = `package gql

// Msg includes the requested fields of the GraphQL interface Event.
type Msg interface {
	implementsGraphQLInterfaceMsg()
	GetTypename() string
}

func (v *MsgText) implementsGraphQLInterfaceMsg() {}
func (v *MsgGift) implementsGraphQLInterfaceMsg() {}

// MsgText includes the requested fields of the GraphQL type Text.
type MsgText struct {
	Typename string  ` + "`json:\"__typename\"`" + `
	Type     Kind    ` + "`json:\"type\"`" + `
	Id       string  ` + "`json:\"id\"`" + `
	Body     string  ` + "`json:\"body\"`" + `
	Sender   *Author ` + "`json:\"sender\"`" + `
}

// MsgGift includes the requested fields of the GraphQL type Gift.
type MsgGift struct {
	Typename string ` + "`json:\"__typename\"`" + `
	Type     Kind   ` + "`json:\"type\"`" + `
	Amount   int    ` + "`json:\"amount\"`" + `
}

// Author includes the requested fields of the GraphQL type User.
type Author struct {
	Displayname string ` + "`json:\"displayname\"`" + `
	AvatarUrl   string ` + "`json:\"avatarUrl\"`" + `
}

// Authors includes the requested fields of the GraphQL type Query.
type Authors struct {
	Users []*Author ` + "`json:\"users\"`" + `
}

// Renamed includes the requested fields of the GraphQL type User.
type Renamed struct {
	Name string ` + "`json:\"name\"`" + `
}

// Lonely includes the requested fields of the GraphQL interface Event.
type Lonely interface {
	implementsGraphQLInterfaceLonely()
}

type Kind string

// Send is the GraphQL input object Send.
type Send struct {
	Streamer string ` + "`json:\"streamer\"`" + `
	Kind     Kind   ` + "`json:\"kind\"`" + `
}
`

func chatGen(t *testing.T) *gqlGen {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gql.gen.go")
	if err := os.WriteFile(path, []byte(chatGo), 0o644); err != nil {
		t.Fatal(err)
	}
	file, err := scanGenqlient(path)
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&gqlast.Source{Name: "chat.graphql", Input: chatSchema})
	if gerr != nil {
		t.Fatal(gerr)
	}
	return &gqlGen{file: file, schema: schema}
}

// An interface becomes a sealed interface with one struct per
// implementation, named without genqlient's prefix; fields get Go's
// initialisms and the schema's descriptions; genqlient's __typename and
// getters are gone; enums and inputs convert both ways.
func TestPublicTypesOfAnInterface(t *testing.T) {
	g := chatGen(t)
	reach := map[string][]string{"Msg": {"Chat.Events"}, "MsgText": {"Chat.Events"}, "MsgGift": {"Chat.Events"},
		"Author": {"Chat.Events"}, "Kind": {"Chat.Events", "Chat.Send"}, "Send": {"Chat.Send"}}
	if err := g.publicTypes(reach); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	g.writeTypes(&b)
	src, err := format.Source(append([]byte("package p\n\n"), b.Bytes()...))
	if err != nil {
		t.Fatalf("the types do not parse: %v\n%s", err, b.Bytes())
	}
	for _, want := range []string{
		"// Msg is an event in a chat. It is one of *Gift and *Text, the implementations\n// of the GraphQL interface Event that Chat.Events selects.",
		"type Msg interface {\n\tmsg()\n}",
		"type Text struct {\n\tType Kind `json:\"type\"`\n\t// The message's id.\n\tID   string `json:\"id\"`\n\tBody string `json:\"body\"`\n\tSender *Author `json:\"sender\"`\n}",
		"func (*Text) msg() {}",
		"func (*Gift) msg() {}",
		"type Author struct {\n\tDisplayName string `json:\"displayname\"`\n\tAvatarURL   string `json:\"avatarUrl\"`\n}",
		"KindMessage Kind = \"MESSAGE\"",
		"KindGiftSub Kind = \"GIFT_SUB\"",
		"// Kind is the kind of an event: the GraphQL enum Kind.",
		"\tcase *gql.MsgGift:\n\t\treturn gqlPtr(v, gqlToGift)\n\tcase *gql.MsgText:\n\t\treturn gqlPtr(v, gqlToText)\n",
		"Sender: gqlPtr(v.Sender, gqlToAuthor),",
		"Type:   Kind(v.Type),",
		"Kind:     gql.Kind(v.Kind),",
	} {
		if !strings.Contains(strings.Join(strings.Fields(string(src)), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the generated types lack\n%s\nin\n%s", want, src)
		}
	}
	if strings.Contains(string(src), "Typename") || strings.Contains(string(src), "func (v *") {
		t.Errorf("the generated types keep genqlient's __typename or getters:\n%s", src)
	}
}

func TestPublicTypesRefuse(t *testing.T) {
	for _, tt := range []struct {
		name  string
		reach map[string][]string
		want  string
	}{
		{"an alias", map[string][]string{"Renamed": {"Q.R"}}, `has no field "name" (the generator does not support aliases)`},
		{"a list of pointers", map[string][]string{"Authors": {"Q.A"}, "Author": {"Q.A"}}, "pointer: false"},
		{"an interface without implementations", map[string][]string{"Lonely": {"Q.L"}}, "has no implementation"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := chatGen(t).publicTypes(tt.reach)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}
