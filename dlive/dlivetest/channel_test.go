package dlivetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/scopes"
)

// wantRefusal fails t unless err is a mutation's refusal with code.
func wantRefusal(t *testing.T, what string, err error, code int) {
	t.Helper()
	if got, msg := refusal(t, err); got != code {
		t.Errorf("%s: code %d (%s), want %d", what, got, msg, code)
	}
}

// reader is a user token of username with every scope and the read scope
// of a private field, which no typed operation needs.
func reader(username string, read scopes.DLive) sandbox.Grant {
	g := grant(username)
	g.Scope = append(g.Scope, string(read))
	return g
}

// sendAs sends "text" to the signed-in user's chat as c's user.
func sendAs(c *dlive.Client, text string, subscribing bool) error {
	_, err := c.Chat.Send(context.Background(), dlive.SendStreamchatMessageInput{Streamer: loginUsername, Message: text,
		RoomRole: dlive.RoomRoleMember, Subscribing: subscribing})
	return err
}

// AddModerator makes a user a moderator, who can then moderate; the
// moderator list's search keeps the names that contain it.
func TestAddModerator(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo, owl := as(t, a, grant(loginUsername)), as(t, a, grant(nightowl))

	wantRefusal(t, "a Ban before AddModerator", owl.Moderation.Ban(ctx, loginUsername, quokka), codePermission)
	if err := demo.Moderation.AddModerator(ctx, nightowl); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{springer, nightowl}, usernames(t, demo, "chatModerators", loginUsername)); d != "" {
		t.Errorf("chatModerators (-want +got):\n%s", d)
	}
	data := do(t, demo, `query($u: String!) { user(username: $u) { chatModerators(search: "NIGHT") { list { username } } } }`,
		map[string]any{"u": loginUsername})
	want := map[string]any{"user": map[string]any{"chatModerators": map[string]any{"list": []any{map[string]any{"username": nightowl}}}}}
	if d := cmp.Diff(want, data); d != "" {
		t.Errorf("chatModerators(search) (-want +got):\n%s", d)
	}
	if err := owl.Moderation.Ban(ctx, loginUsername, quokka); err != nil {
		t.Errorf("the new moderator's Ban: %v", err)
	}
	wantRefusal(t, "a second AddModerator", demo.Moderation.AddModerator(ctx, nightowl), codeAlreadyModerator)
	wantRefusal(t, "adding oneself", demo.Moderation.AddModerator(ctx, loginUsername), codePermission)
	wantRefusal(t, "adding an unknown user", demo.Moderation.AddModerator(ctx, "dlive-00000000"), codeUserNotFound)

	// The optional streamer names the channel: its owner's own, or
	// another's, which only its owner may change.
	mutate := func(c *dlive.Client, field, streamer string) (int, string) {
		t.Helper()
		data := do(t, c, `mutation($u: String!, $s: String) { `+field+`(username: $u, streamer: $s) { err { code message } } }`,
			map[string]any{"u": quokka, "s": streamer})
		e, _ := data[field].(map[string]any)["err"].(map[string]any)
		if e == nil {
			return 0, ""
		}
		code, _ := e["code"].(float64) // a JSON number, decoded into any
		msg, _ := e["message"].(string)
		return int(code), msg
	}
	if code, msg := mutate(demo, "moderatorAdd", loginUsername); code != 0 {
		t.Errorf("moderatorAdd on one's own channel: code %d (%s)", code, msg)
	}
	if code, _ := mutate(owl, "moderatorRemove", loginUsername); code != codePermission {
		t.Errorf("a moderator's moderatorRemove on another's channel: code %d, want %d", code, codePermission)
	}
	if code, msg := mutate(demo, "moderatorRemove", loginUsername); code != 0 {
		t.Errorf("moderatorRemove on one's own channel: code %d (%s)", code, msg)
	}
	if d := cmp.Diff([]string{springer, nightowl}, usernames(t, demo, "chatModerators", loginUsername)); d != "" {
		t.Errorf("chatModerators after adding and removing %s (-want +got):\n%s", quokka, d)
	}
}

// A timeout keeps a user out of the chat for its minutes, then lets them
// back; only the streamer and moderators time out.
func TestTimeout(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	var now atomic.Int64
	now.Store(seedTime.Add(time.Hour).UnixNano())
	a.now = func() time.Time { return time.Unix(0, now.Load()) }
	mod, viewer := as(t, a, grant(springer)), as(t, a, grant(pixelPilot))

	if err := mod.Moderation.Timeout(ctx, loginUsername, pixelPilot, 10); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, "a timed-out user's message", sendAs(viewer, "hi", false), codeTimedOut)
	now.Add(int64(10*time.Minute - time.Second))
	wantRefusal(t, "a message a second before the end", sendAs(viewer, "hi", false), codeTimedOut)
	now.Add(int64(time.Second))
	if err := sendAs(viewer, "back", false); err != nil {
		t.Errorf("after the timeout: %v", err)
	}
	wantRefusal(t, "a viewer's Timeout", viewer.Moderation.Timeout(ctx, loginUsername, quokka, 5), codePermission)
	wantRefusal(t, "a zero duration", mod.Moderation.Timeout(ctx, loginUsername, quokka, 0), codeBadDuration)
	wantRefusal(t, "timing out the streamer", mod.Moderation.Timeout(ctx, loginUsername, loginUsername, 5), codePermission)
}

// The chat mode says who may write: followers only, subscribers only, or
// everyone; the streamer's moderators always may.
func TestChatMode(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo, mod := as(t, a, grant(loginUsername)), as(t, a, grant(springer))
	follower, stranger := as(t, a, grant(pixelPilot)), as(t, a, grant(nightowl)) // nightowl does not follow the streamer

	steps := []struct {
		mode                  dlive.ChatModeType
		follower, subscribing bool // whether each may write
	}{
		{dlive.ChatModeTypeFollowonly, true, false},
		{dlive.ChatModeTypeSubonly, false, false},
		{dlive.ChatModeTypeDefault, true, true},
	}
	for _, s := range steps {
		if err := demo.Chat.SetMode(ctx, s.mode); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			client *dlive.Client
			sub    bool
			may    bool
		}{
			{"a follower", follower, false, s.follower},
			{"a stranger", stranger, false, s.subscribing},
			{"a subscriber", stranger, true, s.mode != dlive.ChatModeTypeFollowonly},
			{"a moderator", mod, false, true},
		} {
			err := sendAs(c.client, "hi", c.sub)
			if c.may && err != nil {
				t.Errorf("%s in %s mode: %v", c.name, s.mode, err)
			}
			if !c.may {
				wantRefusal(t, c.name+" in "+string(s.mode)+" mode", err, codeChatMode)
			}
		}
	}
}

// Filter words refuse the messages that hold them, case aside, and show
// in me.private.filterWords.
func TestFilterWords(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo, viewer := as(t, a, reader(loginUsername, scopes.DLiveModerationRead)), as(t, a, grant(pixelPilot))
	filterWords := func() []any {
		t.Helper()
		data := do(t, demo, `{ me { private { filterWords } } }`, nil)
		return data["me"].(map[string]any)["private"].(map[string]any)["filterWords"].([]any)
	}

	if err := demo.Moderation.AddFilterWord(ctx, "Spoiler"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]any{"scam", "spoiler"}, filterWords()); d != "" {
		t.Errorf("filterWords (-want +got):\n%s", d)
	}
	wantRefusal(t, "a filtered message", sendAs(viewer, "SPOILER: the ending", false), codeFilteredWord)
	wantRefusal(t, "a second AddFilterWord", demo.Moderation.AddFilterWord(ctx, "spoiler"), codeFilterWordExists)

	if err := demo.Moderation.DeleteFilterWord(ctx, "spoiler"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]any{"scam"}, filterWords()); d != "" {
		t.Errorf("filterWords after DeleteFilterWord (-want +got):\n%s", d)
	}
	if err := sendAs(viewer, "SPOILER: the ending", false); err != nil {
		t.Errorf("after DeleteFilterWord: %v", err)
	}
	wantRefusal(t, "a second DeleteFilterWord", demo.Moderation.DeleteFilterWord(ctx, "spoiler"), codeNoFilterWord)
}

// SetTemplate's settings are what me.private.streamTemplate reads.
func TestSetTemplate(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo := as(t, a, reader(loginUsername, scopes.DLiveStreamtemplateRead))

	in := dlive.SetStreamTemplateInput{Title: "Friday speedruns", AgeRestriction: true, CategoryID: 4, LanguageID: 2,
		ThumbnailURL: "https://images.prd.dlivecdn.com/thumbnail/friday.jpg"}
	if err := demo.Livestreams.SetTemplate(ctx, in); err != nil {
		t.Fatal(err)
	}
	data := do(t, demo, `{ me { private { streamTemplate { title ageRestriction thumbnailUrl category { title } language { language } } } } }`, nil)
	want := map[string]any{"me": map[string]any{"private": map[string]any{"streamTemplate": map[string]any{
		"title": "Friday speedruns", "ageRestriction": true, "thumbnailUrl": "https://images.prd.dlivecdn.com/thumbnail/friday.jpg",
		"category": map[string]any{"title": "Speedrunning"}, "language": map[string]any{"language": "Deutsch"},
	}}}}
	if d := cmp.Diff(want, data); d != "" {
		t.Errorf("streamTemplate (-want +got):\n%s", d)
	}
	in.CategoryID = 99
	wantRefusal(t, "an unknown category", demo.Livestreams.SetTemplate(ctx, in), codeBadTemplate)
}

// Host returns the hosted stream; an offline user or oneself cannot be
// hosted.
func TestHost(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo := as(t, a, grant(loginUsername))

	s, err := demo.Livestreams.Host(ctx, pixelPilot)
	if err != nil {
		t.Fatal(err)
	}
	if s == nil || s.Creator == nil || s.Creator.Username != pixelPilot || !strings.HasPrefix(s.Permlink, pixelPilot+"+") {
		t.Errorf("Host returned %+v, want %s's live stream", s, pixelPilot)
	}
	_, err = demo.Livestreams.Host(ctx, quokka)
	wantRefusal(t, "hosting an offline user", err, codeNotLive)
	_, err = demo.Livestreams.Host(ctx, loginUsername)
	wantRefusal(t, "hosting oneself", err, codePermission)
}

// No treasure chest of the sandbox runs a giveaway, so a claim with
// chest:write is refused in err, as DLive refuses one; without the scope
// the sandbox refuses it first.
func TestClaimGiveaway(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	err := client(t, srv, scopes.DLiveIdentity).Chat.ClaimGiveaway(ctx, pixelPilot)
	if ise := (*auth.InsufficientScopeError)(nil); !errors.As(err, &ise) || !slices.Equal(ise.Scope, []string{string(scopes.DLiveChestWrite)}) {
		t.Errorf("without chest:write: err = %v, want an InsufficientScopeError for chest:write", err)
	}
	c := client(t, srv, scopes.DLiveChestWrite)
	wantRefusal(t, "a claim", c.Chat.ClaimGiveaway(ctx, pixelPilot), codeNoGiveaway)
	wantRefusal(t, "a claim in an unknown chest", c.Chat.ClaimGiveaway(ctx, "dlive-00000000"), codeUserNotFound)
}

// An emote added to a channel can be saved into another user's library at
// their level, and deleted once; only the channel's owner changes its
// emotes.
func TestEmotes(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo, viewer := as(t, a, grant(loginUsername)), as(t, a, grant(pixelPilot))
	add := dlive.AddEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel, MimeType: "image/png",
		URL: "https://images.prd.dlivecdn.com/emote/wave.png", Name: "onairWave"}

	got, err := demo.Emotes.Add(ctx, add)
	if err != nil {
		t.Fatal(err)
	}
	want := &dlive.Emote{Name: "onairWave", Username: loginUsername, SourceURL: add.URL, MimeType: "image/png",
		Level: dlive.EmoteLevelChannelLevel, Type: dlive.EmoteTypeEmote}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Add (-want +got):\n%s", d)
	}
	_, err = demo.Emotes.Add(ctx, add)
	wantRefusal(t, "a second Add", err, codeEmoteExists)
	theirs := add
	theirs.Streamer = loginUsername
	_, err = viewer.Emotes.Add(ctx, theirs)
	wantRefusal(t, "adding to another's channel", err, codePermission)

	save := dlive.SaveEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel, MyLevel: dlive.EmoteLevelUserLevel,
		Name: "onairWave", Streamer: loginUsername}
	saved, err := viewer.Emotes.Save(ctx, save)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Level != dlive.EmoteLevelUserLevel || saved.Name != "onairWave" {
		t.Errorf("Save returned %+v, want onairWave at USER_LEVEL", saved)
	}
	_, err = viewer.Emotes.Save(ctx, save)
	wantRefusal(t, "a second Save", err, codeEmoteExists)

	del := dlive.DeleteEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel, Name: "onairWave"}
	if err := demo.Emotes.Delete(ctx, del); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, "a second Delete", demo.Emotes.Delete(ctx, del), codeEmoteNotFound)
	_, err = viewer.Emotes.Save(ctx, dlive.SaveEmoteInput{Type: save.Type, Level: save.Level, MyLevel: save.MyLevel, Name: "onairWave",
		Streamer: loginUsername})
	wantRefusal(t, "saving a deleted emote", err, codeEmoteNotFound)
}

// A message's emojis come back as sent (SendStreamchatMessageInput.emojis).
func TestSendEmojis(t *testing.T) {
	c := client(t, start(t), allScopes...)
	m, err := c.Chat.Send(context.Background(), dlive.SendStreamchatMessageInput{Streamer: pixelPilot, Message: "gg",
		RoomRole: dlive.RoomRoleMember, Emojis: []int{3, 17}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{3, 17}, m.(*dlive.ChatText).Emojis); d != "" {
		t.Errorf("emojis (-want +got):\n%s", d)
	}
}

// LivestreamsOption's showMatureContent lists the NSFW streams, as showNSFW
// does; followers sort Z to A with sortedBy ZA (fidelity-2 DLive 3 and 4).
func TestLivestreamsOptionAndSortOrders(t *testing.T) {
	c := client(t, start(t), allScopes...)
	permlinks := func(input string) []any {
		t.Helper()
		data := do(t, c, `{ livestreams(input: {first: 50`+input+`}) { list { creator { username } } } }`, nil)
		var out []any
		for _, s := range data["livestreams"].(map[string]any)["list"].([]any) {
			out = append(out, s.(map[string]any)["creator"].(map[string]any)["username"])
		}
		return out
	}
	const nsfwStreamer = "dlive-11223344"
	if got := permlinks(""); slices.Contains(got, any(nsfwStreamer)) {
		t.Errorf("the default list holds the NSFW stream of %s", nsfwStreamer)
	}
	if got := permlinks(", showMatureContent: true"); !slices.Contains(got, any(nsfwStreamer)) {
		t.Errorf("showMatureContent: the list lacks the NSFW stream of %s: %v", nsfwStreamer, got)
	}

	names := func(order string) []any {
		t.Helper()
		data := do(t, c, `{ user(username: "`+loginUsername+`") { followers(first: 50, sortedBy: `+order+`) { list { displayname } } } }`, nil)
		var out []any
		for _, u := range data["user"].(map[string]any)["followers"].(map[string]any)["list"].([]any) {
			out = append(out, u.(map[string]any)["displayname"])
		}
		return out
	}
	az, za := names("AZ"), names("ZA")
	if len(az) < 2 {
		t.Fatalf("followers AZ = %v, want at least two", az)
	}
	slices.Reverse(za)
	if d := cmp.Diff(az, za); d != "" {
		t.Errorf("followers ZA is not AZ reversed (-AZ +ZA reversed):\n%s", d)
	}
}
