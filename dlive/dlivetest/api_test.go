package dlivetest

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/scopes"
)

// allScopes are the scopes of every typed operation.
var allScopes = []scopes.DLive{scopes.DLiveIdentity, scopes.DLiveEmailRead, scopes.DLiveStreamkeyRead,
	scopes.DLiveRelationshipRead, scopes.DLiveRelationshipWrite, scopes.DLiveChatWrite, scopes.DLiveModerationWrite,
	scopes.DLiveStreamtemplateWrite, scopes.DLiveChestWrite, scopes.DLiveEmoteWrite}

// start returns a fresh sandbox, closed when the test ends.
func start(t *testing.T) *Server {
	srv := NewServer()
	t.Cleanup(srv.Close)
	return srv
}

// client returns a client of srv with a token of the signed-in user
// granted scope. The token does not say its scopes, so the client does not
// check them first: the sandbox's own check is what runs.
func client(t *testing.T, srv *Server, scope ...scopes.DLive) *dlive.Client {
	t.Helper()
	tok := &oauth2.Token{AccessToken: srv.IssueToken(scope...).AccessToken}
	c, err := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// as returns a client of a's API that calls with grant g, past the engine:
// for other seeded users than the one who signs in, and for tests that move
// a's clock.
func as(t *testing.T, a *api, g sandbox.Grant) *dlive.Client {
	t.Helper()
	h := a.handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(sandbox.WithGrant(r.Context(), g)))
	}))
	t.Cleanup(srv.Close)
	c, err := dlive.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "direct"}), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// grant is a user token of username with every scope.
func grant(username string) sandbox.Grant {
	g := sandbox.Grant{ClientID: "test", User: username}
	for _, s := range allScopes {
		g.Scope = append(g.Scope, string(s))
	}
	return g
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// refusal returns the err payload of a refused mutation, or fails.
func refusal(t *testing.T, err error) (int, string) {
	t.Helper()
	var de *dlive.Error
	if !errors.As(err, &de) || de.StatusCode != http.StatusOK {
		t.Fatalf("err = %v, want a refusal in the mutation's err (HTTP 200)", err)
	}
	return de.Code, de.Message
}

const (
	pixelPilot = "dlive-12345678"
	springer   = "dlive-34567890"
	nightowl   = "dlive-45678901"
	quokka     = "dlive-56789012"
	trollbot   = "dlive-67890123"
	seededChat = "0b8e2a64-3f1c-4d7a-9e25-6c1f8a0d4b31" // Springer's "gm chat" in the signed-in user's chat
)

var (
	english     = &dlive.Language{Language: "English"}
	pixelStream = &dlive.ChannelLivestream{ID: "livestream:dlive-12345678+5212ffcbc", Permlink: "dlive-12345678+5212ffcbc",
		Title: "Any% practice", WatchingCount: 87, ThumbnailURL: "https://images.prd.dlivecdn.com/thumbnail/5212ffcbc.jpg",
		Category: &dlive.Category{ID: "4", Title: "Speedrunning"}, Language: english}
	demoChannel = &dlive.Channel{ID: "user:" + loginUsername, Username: loginUsername, DisplayName: loginDisplayname,
		Avatar: "https://images.prd.dlivecdn.com/avatar/default21.png", PartnerStatus: "NONE",
		About: "Building onair live: streams of the SDK's own development.", Followers: &dlive.FollowerCount{TotalCount: 4},
		Livestream: &dlive.ChannelLivestream{ID: "livestream:dlive-87654321+b8eb17722", Permlink: "dlive-87654321+b8eb17722",
			Title: "Building onair, a Go SDK for live streaming", WatchingCount: 23,
			ThumbnailURL: "https://images.prd.dlivecdn.com/thumbnail/b8eb17722.jpg",
			Category:     &dlive.Category{ID: "6", Title: "Software Development"}, Language: english}}
)

// streams reduces live streams to "DisplayName: title".
func streams(list []dlive.Livestream) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Creator.DisplayName+": "+s.Title)
	}
	return out
}

// trending is every live stream but the NSFW one, most watched first.
var trending = []string{"PixelPilot: Any% practice", "RetroRally: Rally '98 time trials", "GlitchGarden: Skyblock, day 40",
	"CodeCanyon: Async Rust deep dive", "Springer: Chill chess, !commands", "ChefKoa: Sunday ramen from scratch",
	"VelvetVox: Karaoke night", "OnairDemo: Building onair, a Go SDK for live streaming", "TundraTunes: Acoustic requests",
	"LunaLanes: Speedrun route planning", "nightowl: Late night lo-fi", "MapleMaker: Walnut desk build"}

// TestOperations calls each typed operation once against a fresh sandbox.
func TestOperations(t *testing.T) {
	tests := []struct {
		name string
		call func(context.Context, *dlive.Client) (any, error)
		want any
	}{
		{"Users.Me", func(ctx context.Context, c *dlive.Client) (any, error) { return c.Me(ctx) },
			&dlive.Profile{Username: loginUsername, DisplayName: loginDisplayname, Avatar: "https://images.prd.dlivecdn.com/avatar/default21.png"}},
		{"Users.MePrivate", func(ctx context.Context, c *dlive.Client) (any, error) { return c.Users.MePrivate(ctx) },
			&dlive.PrivateProfile{Username: loginUsername, DisplayName: loginDisplayname,
				Avatar: "https://images.prd.dlivecdn.com/avatar/default21.png", Private: &dlive.PrivateFields{Email: loginEmail}}},
		{"Users.GetStreamKey", func(ctx context.Context, c *dlive.Client) (any, error) { return c.Users.GetStreamKey(ctx) },
			&dlive.StreamKey{Key: "492c615cfc4e82042744575282dc6067"}},
		{"Users.Get", func(ctx context.Context, c *dlive.Client) (any, error) { return c.Users.Get(ctx, loginUsername) }, demoChannel},
		{"Users.Get someone else", func(ctx context.Context, c *dlive.Client) (any, error) { return c.Users.Get(ctx, pixelPilot) },
			&dlive.Channel{ID: "user:" + pixelPilot, Username: pixelPilot, DisplayName: "PixelPilot",
				Avatar: "https://images.prd.dlivecdn.com/avatar/default22.png", PartnerStatus: "NONE",
				Followers: &dlive.FollowerCount{TotalCount: 3}, Livestream: pixelStream}},
		{"Users.Get offline", func(ctx context.Context, c *dlive.Client) (any, error) {
			u, err := c.Users.Get(ctx, quokka)
			return u.Livestream, err
		}, (*dlive.ChannelLivestream)(nil)},
		{"Users.Get unknown", func(ctx context.Context, c *dlive.Client) (any, error) { return c.Users.Get(ctx, "dlive-00000000") },
			(*dlive.Channel)(nil)},
		{"Users.GetByDisplayName", func(ctx context.Context, c *dlive.Client) (any, error) {
			return c.Users.GetByDisplayName(ctx, loginDisplayname)
		}, demoChannel},
		{"Users.GetByDisplayName unknown", func(ctx context.Context, c *dlive.Client) (any, error) {
			return c.Users.GetByDisplayName(ctx, "Nobody")
		}, (*dlive.Channel)(nil)},
		{"Users.Search", func(ctx context.Context, c *dlive.Client) (any, error) {
			return collect(c.Users.Search(ctx, "PILOT", nil))
		}, []dlive.UserSummary{{ID: "user:" + pixelPilot, Username: pixelPilot, DisplayName: "PixelPilot",
			Avatar: "https://images.prd.dlivecdn.com/avatar/default22.png", PartnerStatus: "NONE"}}},
		{"Livestreams.List", func(ctx context.Context, c *dlive.Client) (any, error) {
			list, err := collect(c.Livestreams.List(ctx, nil))
			return streams(list), err
		}, trending},
		{"Livestreams.List first item", func(ctx context.Context, c *dlive.Client) (any, error) {
			list, err := collect(c.Livestreams.List(ctx, &dlive.ListLivestreamsParams{First: 1}))
			return list[0], err
		}, dlive.Livestream{ID: pixelStream.ID, Permlink: pixelStream.Permlink, Title: pixelStream.Title,
			WatchingCount: 87, ThumbnailURL: pixelStream.ThumbnailURL, Category: pixelStream.Category, Language: english,
			Creator: &dlive.Profile{Username: pixelPilot, DisplayName: "PixelPilot", Avatar: "https://images.prd.dlivecdn.com/avatar/default22.png"}}},
		{"Livestreams.ListFollowing", func(ctx context.Context, c *dlive.Client) (any, error) {
			list, err := collect(c.Livestreams.ListFollowing(ctx, nil))
			return streams(list), err
		}, []string{"Springer: Chill chess, !commands", "nightowl: Late night lo-fi"}},
		{"Chat.Send", func(ctx context.Context, c *dlive.Client) (any, error) {
			return c.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: pixelPilot, Message: "Hello from onair", RoomRole: dlive.RoomRoleMember})
		}, &dlive.ChatText{Type: dlive.ChatTypeMessage, Content: "Hello from onair", RoomRole: dlive.RoomRoleMember, Emojis: []int{},
			Sender: &dlive.ChatSender{ID: "streamchatuser:" + loginUsername, Username: loginUsername, DisplayName: loginDisplayname,
				Avatar: "https://images.prd.dlivecdn.com/avatar/default21.png", PartnerStatus: dlive.PartnerStatusNone, Badges: []dlive.BadgeType{}}}},
		{"Chat.Delete", func(ctx context.Context, c *dlive.Client) (any, error) {
			return nil, c.Chat.Delete(ctx, loginUsername, seededChat)
		}, nil},
		{"Chat.SetInterval", func(ctx context.Context, c *dlive.Client) (any, error) { return nil, c.Chat.SetInterval(ctx, 30) }, nil},
		{"Relationships.Follow", func(ctx context.Context, c *dlive.Client) (any, error) {
			return nil, c.Relationships.Follow(ctx, pixelPilot)
		}, nil},
		{"Relationships.Unfollow", func(ctx context.Context, c *dlive.Client) (any, error) {
			return nil, c.Relationships.Unfollow(ctx, springer)
		}, nil},
		{"Moderation.Ban", func(ctx context.Context, c *dlive.Client) (any, error) {
			return nil, c.Moderation.Ban(ctx, loginUsername, quokka)
		}, nil},
		{"Moderation.Unban", func(ctx context.Context, c *dlive.Client) (any, error) {
			return nil, c.Moderation.Unban(ctx, loginUsername, trollbot)
		}, nil},
		{"Moderation.RemoveModerator", func(ctx context.Context, c *dlive.Client) (any, error) {
			return nil, c.Moderation.RemoveModerator(ctx, springer)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call(context.Background(), client(t, start(t), allScopes...))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(dlive.ChatText{}, "ID", "CreatedAt")); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// A sent message has a fresh UUID and its time in nanoseconds.
func TestSendAssignsIDAndTime(t *testing.T) {
	c := client(t, start(t), allScopes...)
	before := time.Now().UnixNano()
	m, err := c.Chat.Send(context.Background(), dlive.SendStreamchatMessageInput{Streamer: pixelPilot, Message: "hi", RoomRole: dlive.RoomRoleMember})
	after := time.Now().UnixNano()
	if err != nil {
		t.Fatal(err)
	}
	text := m.(*dlive.ChatText)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(text.ID) {
		t.Errorf("id = %q, want a version 4 UUID", text.ID)
	}
	if at, err := strconv.ParseInt(text.CreatedAt, 10, 64); err != nil || at < before || at > after {
		t.Errorf("createdAt = %q, want nanoseconds since the epoch in [%d, %d]", text.CreatedAt, before, after)
	}
}

// Follow and Unfollow change what ListFollowing, followers and isFollowing
// show, and refuse what makes no sense in the mutation's err.
func TestFollowRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := client(t, start(t), allScopes...)
	following := func() []string {
		t.Helper()
		list, err := collect(c.Livestreams.ListFollowing(ctx, nil))
		if err != nil {
			t.Fatal(err)
		}
		return streams(list)
	}
	followers := func() int {
		t.Helper()
		u, err := c.Users.Get(ctx, pixelPilot)
		if err != nil {
			t.Fatal(err)
		}
		return u.Followers.TotalCount
	}

	if err := c.Relationships.Follow(ctx, pixelPilot); err != nil {
		t.Fatal(err)
	}
	want := []string{"Springer: Chill chess, !commands", "nightowl: Late night lo-fi", "PixelPilot: Any% practice"}
	if d := cmp.Diff(want, following()); d != "" {
		t.Errorf("after Follow, ListFollowing (-want +got):\n%s", d)
	}
	if n := followers(); n != 4 {
		t.Errorf("after Follow, PixelPilot has %d followers, want 4", n)
	}
	r, err := c.GraphQL.Do(ctx, dlive.GraphQLRequest{Query: `{ user(username: "dlive-12345678") { isFollowing } }`})
	if err != nil || r.Errors != nil {
		t.Fatal(err, r.Errors)
	}
	if d := cmp.Diff(map[string]any{"user": map[string]any{"isFollowing": true}}, r.Data); d != "" {
		t.Errorf("isFollowing (-want +got):\n%s", d)
	}

	refusals := []struct {
		call     func() error
		code     int
		contains string
	}{
		{func() error { return c.Relationships.Follow(ctx, pixelPilot) }, codeAlreadyFollowing, "already following"},
		{func() error { return c.Relationships.Follow(ctx, loginUsername) }, codeFollowSelf, "yourself"},
		{func() error { return c.Relationships.Follow(ctx, "dlive-00000000") }, codeUserNotFound, "not found"},
		{func() error { return c.Relationships.Unfollow(ctx, "dlive-00000000") }, codeUserNotFound, "not found"},
	}
	for _, r := range refusals {
		if code, msg := refusal(t, r.call()); code != r.code || !strings.Contains(msg, r.contains) {
			t.Errorf("refusal = %d %q, want %d with %q", code, msg, r.code, r.contains)
		}
	}

	if err := c.Relationships.Unfollow(ctx, pixelPilot); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want[:2], following()); d != "" {
		t.Errorf("after Unfollow, ListFollowing (-want +got):\n%s", d)
	}
	if n := followers(); n != 3 {
		t.Errorf("after Unfollow, PixelPilot has %d followers, want 3", n)
	}
	if code, _ := refusal(t, c.Relationships.Unfollow(ctx, pixelPilot)); code != codeNotFollowing {
		t.Errorf("a second Unfollow: code %d, want %d", code, codeNotFollowing)
	}
}

// do runs a hand-written query and returns its data, failing on errors.
func do(t *testing.T, c *dlive.Client, query string, vars map[string]any) map[string]any {
	t.Helper()
	req := dlive.GraphQLRequest{Query: query}
	if vars != nil {
		req.Variables = vars
	}
	r, err := c.GraphQL.Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != nil {
		t.Fatalf("errors: %+v", r.Errors)
	}
	return r.Data
}

// usernames runs query, whose answer is {user {<field> {list {username}}}},
// and returns the usernames of the list.
func usernames(t *testing.T, c *dlive.Client, field, username string) []string {
	t.Helper()
	data := do(t, c, `query($u: String!) { user(username: $u) { `+field+` { list { username } } } }`, map[string]any{"u": username})
	var out []string
	for _, u := range data["user"].(map[string]any)[field].(map[string]any)["list"].([]any) {
		out = append(out, u.(map[string]any)["username"].(string))
	}
	return out
}

// Messages can be deleted once, by the streamer or a moderator only.
func TestChatRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo, mod, viewer := as(t, a, grant(loginUsername)), as(t, a, grant(springer)), as(t, a, grant(pixelPilot))

	m, err := viewer.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: loginUsername, Message: "hello", RoomRole: dlive.RoomRoleMember})
	if err != nil {
		t.Fatal(err)
	}
	id := m.(*dlive.ChatText).ID
	if code, _ := refusal(t, viewer.Chat.Delete(ctx, loginUsername, id)); code != codePermission {
		t.Errorf("a viewer's Delete: code %d, want %d", code, codePermission)
	}
	if err := demo.Chat.Delete(ctx, loginUsername, id); err != nil {
		t.Fatalf("the streamer's Delete: %v", err)
	}
	if code, _ := refusal(t, demo.Chat.Delete(ctx, loginUsername, id)); code != codeMessageNotFound {
		t.Errorf("a second Delete: code %d, want %d", code, codeMessageNotFound)
	}
	if err := mod.Chat.Delete(ctx, loginUsername, seededChat); err != nil {
		t.Fatalf("a moderator's Delete: %v", err)
	}
	if code, _ := refusal(t, demo.Chat.Delete(ctx, "dlive-00000000", id)); code != codeUserNotFound {
		t.Errorf("Delete in an unknown chat: code %d, want %d", code, codeUserNotFound)
	}
	if code, _ := refusal(t, demo.Chat.Delete(ctx, loginUsername, "")); code != codeMessageNotFound {
		t.Errorf("Delete without an id: code %d, want %d", code, codeMessageNotFound)
	}
	if _, err := demo.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: pixelPilot, Message: "  ", RoomRole: dlive.RoomRoleMember}); err == nil {
		t.Error("an empty message was sent")
	} else if code, _ := refusal(t, err); code != codeEmptyMessage {
		t.Errorf("an empty message: code %d, want %d", code, codeEmptyMessage)
	}
}

// Bans keep a user out of a chat until unbanned; only the streamer and
// moderators ban, and a removed moderator no longer can.
func TestModerationRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	demo, mod, viewer, banned := as(t, a, grant(loginUsername)), as(t, a, grant(springer)), as(t, a, grant(pixelPilot)), as(t, a, grant(quokka))
	send := func(c *dlive.Client) error {
		_, err := c.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: loginUsername, Message: "hi", RoomRole: dlive.RoomRoleMember})
		return err
	}
	wantCode := func(what string, err error, code int) {
		t.Helper()
		if got, msg := refusal(t, err); got != code {
			t.Errorf("%s: code %d (%s), want %d", what, got, msg, code)
		}
	}

	if err := demo.Moderation.Ban(ctx, loginUsername, quokka); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{trollbot, quokka}, usernames(t, demo, "chatBannedUsers", loginUsername)); d != "" {
		t.Errorf("chatBannedUsers (-want +got):\n%s", d)
	}
	wantCode("a banned user's message", send(banned), codeBanned)
	wantCode("a second Ban", demo.Moderation.Ban(ctx, loginUsername, quokka), codeAlreadyBanned)
	wantCode("banning the streamer", mod.Moderation.Ban(ctx, loginUsername, loginUsername), codePermission)
	wantCode("a viewer's Ban", viewer.Moderation.Ban(ctx, loginUsername, nightowl), codePermission)
	wantCode("banning an unknown user", demo.Moderation.Ban(ctx, loginUsername, "dlive-00000000"), codeUserNotFound)

	if err := mod.Moderation.Unban(ctx, loginUsername, quokka); err != nil {
		t.Fatalf("a moderator's Unban: %v", err)
	}
	if err := send(banned); err != nil {
		t.Errorf("after Unban: %v", err)
	}
	wantCode("a second Unban", demo.Moderation.Unban(ctx, loginUsername, quokka), codeNotBanned)

	if d := cmp.Diff([]string{springer}, usernames(t, demo, "chatModerators", loginUsername)); d != "" {
		t.Errorf("chatModerators (-want +got):\n%s", d)
	}
	if err := demo.Moderation.RemoveModerator(ctx, springer); err != nil {
		t.Fatal(err)
	}
	if got := usernames(t, demo, "chatModerators", loginUsername); len(got) != 0 {
		t.Errorf("chatModerators after RemoveModerator = %v", got)
	}
	wantCode("a removed moderator's Ban", mod.Moderation.Ban(ctx, loginUsername, nightowl), codePermission)
	wantCode("a second RemoveModerator", demo.Moderation.RemoveModerator(ctx, springer), codeNotModerator)
	wantCode("removing an unknown user", demo.Moderation.RemoveModerator(ctx, "dlive-00000000"), codeUserNotFound)
}

// SetInterval puts the chat in slow mode for viewers; the streamer and
// moderators are exempt.
func TestSlowMode(t *testing.T) {
	ctx := context.Background()
	a := newAPI()
	var now atomic.Int64
	now.Store(seedTime.Add(time.Hour).UnixNano())
	a.now = func() time.Time { return time.Unix(0, now.Load()) }
	tick := func(d time.Duration) { now.Add(int64(d)) }
	demo, mod, viewer := as(t, a, grant(loginUsername)), as(t, a, grant(springer)), as(t, a, grant(pixelPilot))
	send := func(c *dlive.Client) error {
		_, err := c.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: loginUsername, Message: "hi", RoomRole: dlive.RoomRoleMember})
		return err
	}

	if err := demo.Chat.SetInterval(ctx, 30); err != nil {
		t.Fatal(err)
	}
	if err := send(viewer); err != nil {
		t.Fatal(err)
	}
	tick(29 * time.Second)
	if code, msg := refusal(t, send(viewer)); code != codeSlowMode || !strings.Contains(msg, "wait 1 more second") {
		t.Errorf("a message 29s later: %d %q, want %d asking to wait 1 more second", code, msg, codeSlowMode)
	}
	tick(time.Second)
	if err := send(viewer); err != nil {
		t.Errorf("a message 30s later: %v", err)
	}
	for _, c := range []*dlive.Client{demo, demo, mod, mod} {
		if err := send(c); err != nil {
			t.Errorf("the streamer or a moderator in slow mode: %v", err)
		}
	}
	if code, _ := refusal(t, demo.Chat.SetInterval(ctx, -1)); code != codeBadInterval {
		t.Errorf("SetInterval(-1): code %d, want %d", code, codeBadInterval)
	}
	if err := demo.Chat.SetInterval(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := send(viewer); err != nil {
		t.Errorf("after slow mode is off: %v", err)
	}
}

// Lists page by pageInfo: the iterator sees every live stream once, in
// order, whatever the page size, and makes one request a page.
func TestLivestreamsPages(t *testing.T) {
	for _, first := range []int{0, 1, 2, 5, 11, 12, 50, 100} {
		t.Run(strconv.Itoa(first), func(t *testing.T) {
			var requests atomic.Int32
			h := newAPI().handler()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				h.ServeHTTP(w, r.WithContext(sandbox.WithGrant(r.Context(), sandbox.Grant{ClientID: "app"})))
			}))
			defer srv.Close()
			c, err := dlive.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "app"}), dlive.WithBaseURL(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			list, err := collect(c.Livestreams.List(context.Background(), &dlive.ListLivestreamsParams{First: first}))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(trending, streams(list)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			size := first
			if first == 0 {
				size = defaultPageSize
			}
			if want := (len(trending) + min(size, maxPageSize) - 1) / min(size, maxPageSize); int(requests.Load()) != want {
				t.Errorf("%d requests, want %d", requests.Load(), want)
			}
		})
	}
}

// The connection's pageInfo and totalCount, page by page.
func TestPageInfo(t *testing.T) {
	c := client(t, start(t))
	query := `query($after: String) { livestreams(input: {first: 5, after: $after}) {
		totalCount pageInfo { startCursor endCursor hasNextPage hasPreviousPage } list { permlink } } }`
	tests := []struct {
		after string
		want  map[string]any
		n     int
	}{
		{"", map[string]any{"startCursor": "1", "endCursor": "5", "hasNextPage": true, "hasPreviousPage": false}, 5},
		{"5", map[string]any{"startCursor": "6", "endCursor": "10", "hasNextPage": true, "hasPreviousPage": true}, 5},
		{"10", map[string]any{"startCursor": "11", "endCursor": "12", "hasNextPage": false, "hasPreviousPage": true}, 2},
		{"12", map[string]any{"startCursor": nil, "endCursor": nil, "hasNextPage": false, "hasPreviousPage": true}, 0},
	}
	for _, tt := range tests {
		vars := map[string]any{}
		if tt.after != "" {
			vars["after"] = tt.after
		}
		conn := do(t, c, query, vars)["livestreams"].(map[string]any)
		if d := cmp.Diff(tt.want, conn["pageInfo"]); d != "" {
			t.Errorf("after %q: pageInfo (-want +got):\n%s", tt.after, d)
		}
		if conn["totalCount"] != float64(len(trending)) || len(conn["list"].([]any)) != tt.n {
			t.Errorf("after %q: totalCount %v and %d items, want %d and %d", tt.after, conn["totalCount"], len(conn["list"].([]any)), len(trending), tt.n)
		}
	}
}

// LivestreamsOption's filters select by language, category and NSFW.
func TestLivestreamsFilters(t *testing.T) {
	tests := []struct {
		name   string
		params dlive.ListLivestreamsParams
		want   []string
	}{
		{"music", dlive.ListLivestreamsParams{CategoryID: 3},
			[]string{"VelvetVox: Karaoke night", "TundraTunes: Acoustic requests", "nightowl: Late night lo-fi"}},
		{"German", dlive.ListLivestreamsParams{LanguageID: 2}, []string{"Springer: Chill chess, !commands"}},
		{"English speedrunning", dlive.ListLivestreamsParams{LanguageID: 1, CategoryID: 4, Order: dlive.LivestreamSortOrderTrending},
			[]string{"PixelPilot: Any% practice", "LunaLanes: Speedrun route planning"}},
		{"NSFW", dlive.ListLivestreamsParams{ShowNSFW: true, First: 3},
			append(trending[:1:1], append([]string{"LateShowLeo: After dark talk show (18+)"}, trending[1:]...)...)},
		{"none", dlive.ListLivestreamsParams{CategoryID: 99}, nil},
	}
	c := client(t, start(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := collect(c.Livestreams.List(context.Background(), &tt.params))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, streams(list)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// Search pages through every user it matches.
func TestSearchPages(t *testing.T) {
	c := client(t, start(t))
	list, err := collect(c.Users.Search(context.Background(), "dlive-", &dlive.SearchUsersParams{First: 4}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range list {
		got = append(got, u.Username)
	}
	a := newAPI()
	var want []string
	for _, u := range a.users {
		want = append(want, u.Username)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A token that lacks an operation's scope gets 403 insufficient_scope
// naming it, which the client reports as auth.InsufficientScopeError, and
// nothing changes.
func TestScopes(t *testing.T) {
	ctx := context.Background()
	input := dlive.SendStreamchatMessageInput{Streamer: pixelPilot, Message: "hi", RoomRole: dlive.RoomRoleMember}
	tests := []struct {
		op   dlive.Operation
		need scopes.DLive
		call func(*dlive.Client) error
	}{
		{dlive.OpUsersMe, scopes.DLiveIdentity, func(c *dlive.Client) error { _, err := c.Me(ctx); return err }},
		{dlive.OpUsersMePrivate, scopes.DLiveEmailRead, func(c *dlive.Client) error { _, err := c.Users.MePrivate(ctx); return err }},
		{dlive.OpUsersGetStreamKey, scopes.DLiveStreamkeyRead, func(c *dlive.Client) error { _, err := c.Users.GetStreamKey(ctx); return err }},
		{dlive.OpLivestreamsListFollowing, scopes.DLiveRelationshipRead, func(c *dlive.Client) error { _, err := collect(c.Livestreams.ListFollowing(ctx, nil)); return err }},
		{dlive.OpChatSend, scopes.DLiveChatWrite, func(c *dlive.Client) error { _, err := c.Chat.Send(ctx, input); return err }},
		{dlive.OpRelationshipsFollow, scopes.DLiveRelationshipWrite, func(c *dlive.Client) error { return c.Relationships.Follow(ctx, pixelPilot) }},
		{dlive.OpRelationshipsUnfollow, scopes.DLiveRelationshipWrite, func(c *dlive.Client) error { return c.Relationships.Unfollow(ctx, springer) }},
		{dlive.OpChatDelete, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Chat.Delete(ctx, loginUsername, seededChat) }},
		{dlive.OpChatSetInterval, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Chat.SetInterval(ctx, 5) }},
		{dlive.OpModerationBan, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.Ban(ctx, loginUsername, quokka) }},
		{dlive.OpModerationUnban, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.Unban(ctx, loginUsername, trollbot) }},
		{dlive.OpModerationRemoveModerator, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.RemoveModerator(ctx, springer) }},
		{dlive.OpModerationAddModerator, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.AddModerator(ctx, nightowl) }},
		{dlive.OpModerationTimeout, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.Timeout(ctx, loginUsername, quokka, 5) }},
		{dlive.OpModerationAddFilterWord, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.AddFilterWord(ctx, "spoiler") }},
		{dlive.OpModerationDeleteFilterWord, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Moderation.DeleteFilterWord(ctx, "scam") }},
		{dlive.OpChatSetMode, scopes.DLiveModerationWrite, func(c *dlive.Client) error { return c.Chat.SetMode(ctx, dlive.ChatModeTypeSubonly) }},
		{dlive.OpLivestreamsSetTemplate, scopes.DLiveStreamtemplateWrite, func(c *dlive.Client) error {
			return c.Livestreams.SetTemplate(ctx, dlive.SetStreamTemplateInput{Title: "t", CategoryID: 1, LanguageID: 1})
		}},
		{dlive.OpLivestreamsHost, scopes.DLiveStreamtemplateWrite, func(c *dlive.Client) error { _, err := c.Livestreams.Host(ctx, pixelPilot); return err }},
		{dlive.OpEmotesAdd, scopes.DLiveEmoteWrite, func(c *dlive.Client) error {
			_, err := c.Emotes.Add(ctx, dlive.AddEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelUserLevel, Name: "e", URL: "https://e", MimeType: "image/png"})
			return err
		}},
		{dlive.OpEmotesSave, scopes.DLiveEmoteWrite, func(c *dlive.Client) error {
			_, err := c.Emotes.Save(ctx, dlive.SaveEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel, MyLevel: dlive.EmoteLevelUserLevel, Name: "onairHeart"})
			return err
		}},
		{dlive.OpEmotesDelete, scopes.DLiveEmoteWrite, func(c *dlive.Client) error {
			return c.Emotes.Delete(ctx, dlive.DeleteEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel, Name: "onairHeart"})
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.op), func(t *testing.T) {
			srv := start(t)
			others := slices.DeleteFunc(slices.Clone(allScopes), func(s scopes.DLive) bool { return s == tt.need })
			err := tt.call(client(t, srv, others...))
			var ise *auth.InsufficientScopeError
			if !errors.As(err, &ise) || !errors.Is(err, scopes.ErrNotGranted) {
				t.Fatalf("err = %v, want an auth.InsufficientScopeError", err)
			}
			if d := cmp.Diff([]string{string(tt.need)}, ise.Scope); d != "" {
				t.Errorf("scope (-want +got):\n%s", d)
			}
			var de *dlive.Error
			if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden || len(de.Errors) != 1 ||
				de.Errors[0].Message != "missing scope "+string(tt.need) {
				t.Errorf("err = %#v, want DLive's 403 naming the scope", de)
			}
			// The state is as seeded: the call with the scope succeeds.
			if err := tt.call(client(t, srv, tt.need)); err != nil {
				t.Errorf("with %s: %v", tt.need, err)
			}
		})
	}
}

// Public queries need a token, no scope.
func TestPublicQueries(t *testing.T) {
	ctx := context.Background()
	c := client(t, start(t))
	if u, err := c.Users.Get(ctx, pixelPilot); err != nil || u == nil {
		t.Errorf("Get = %v, %v", u, err)
	}
	if u, err := c.Users.GetByDisplayName(ctx, "PixelPilot"); err != nil || u == nil {
		t.Errorf("GetByDisplayName = %v, %v", u, err)
	}
	if l, err := collect(c.Users.Search(ctx, "night", nil)); err != nil || len(l) != 1 {
		t.Errorf("Search = %v, %v", l, err)
	}
	if l, err := collect(c.Livestreams.List(ctx, nil)); err != nil || len(l) != len(trending) {
		t.Errorf("List = %d streams, %v", len(l), err)
	}
}

// An application token has no user: me is null, which the client reports
// as dlive.ErrNoUser, isFollowing is null, and mutations are refused.
func TestAppToken(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	tok, err := srv.Config(scopes.DLiveIdentity).ClientCredentials(srv.Context(ctx))
	if err != nil {
		t.Fatal(err)
	}
	c, err := dlive.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok.AccessToken}), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if me, err := c.Me(ctx); !errors.Is(err, dlive.ErrNoUser) {
		t.Errorf("Me = %v, %v; want ErrNoUser", me, err)
	}
	if me, err := c.Users.MePrivate(ctx); !errors.Is(err, dlive.ErrNoUser) {
		t.Errorf("MePrivate = %v, %v; want ErrNoUser", me, err)
	}
	if k, err := c.Users.GetStreamKey(ctx); !errors.Is(err, dlive.ErrNoUser) {
		t.Errorf("GetStreamKey = %v, %v; want ErrNoUser", k, err)
	}
	if d := cmp.Diff(map[string]any{"user": map[string]any{"isFollowing": nil}},
		do(t, c, `{ user(username: "dlive-12345678") { isFollowing } }`, nil)); d != "" {
		t.Errorf("isFollowing (-want +got):\n%s", d)
	}
	if err := c.Relationships.Follow(ctx, pixelPilot); !errors.Is(err, scopes.ErrNotGranted) {
		t.Errorf("Follow = %v, want a refusal for the missing scope", err)
	}
	// An application token that somehow holds a mutation's scope still has
	// no user to act as.
	app := as(t, newAPI(), sandbox.Grant{ClientID: "app", Scope: []string{"relationship:write"}})
	var de *dlive.Error
	if err := app.Relationships.Follow(ctx, pixelPilot); !errors.As(err, &de) || len(de.Errors) != 1 ||
		!strings.Contains(de.Errors[0].Message, "needs a user token") {
		t.Errorf("Follow = %v, want a GraphQL error asking for a user token", err)
	}
}

// FailOperation fails the typed operation it names, or GraphQL.Do for
// other queries, with DLive's error body.
func TestFaults(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(t, srv, allScopes...)
	if err := srv.FailOperation(dlive.OpUsersMe, http.StatusInternalServerError, 1); err != nil {
		t.Fatal(err)
	}
	if err := srv.FailOperation(dlive.OpGraphQLDo, http.StatusBadGateway, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := collect(c.Livestreams.List(ctx, nil)); err != nil {
		t.Errorf("List, not failed: %v", err)
	}
	var de *dlive.Error
	if _, err := c.Me(ctx); !errors.As(err, &de) || de.StatusCode != http.StatusInternalServerError || len(de.Errors) != 1 {
		t.Errorf("Me = %v, want the injected 500 as DLive's error", err)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Errorf("Me after the fault: %v", err)
	}
	if _, err := c.GraphQL.Do(ctx, dlive.GraphQLRequest{Query: `{ globalInfo { languages { code } } }`}); !errors.As(err, &de) || de.StatusCode != http.StatusBadGateway {
		t.Errorf("Do = %v, want the injected 502", err)
	}
}
