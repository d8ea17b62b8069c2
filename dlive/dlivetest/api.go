package dlivetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/scopes"
)

// Page sizes of the connections (assumed: DLive documents neither).
const (
	defaultPageSize = 10
	maxPageSize     = 50
)

// api is DLive's GraphQL API over an in-memory store. One operation runs
// under the lock from its first field to its last, so that it sees one
// state and the answer holds no pointer into the store.
type api struct {
	exec *executor
	now  func() time.Time
	// events is the subscription endpoint the mutations' events go to.
	events *hub

	mu         sync.Mutex
	users      []*account // in sign-up order
	categories []*category
	languages  []*language
}

// account is a DLive user and their channel. Exported fields are GraphQL
// fields of User; the others are read by resolvers.
type account struct {
	ID, Username, Displayname, Avatar, PartnerStatus, About string
	Livestream                                              *livestream // nil when offline
	Wallet                                                  *wallet

	email, streamKey, language string
	following                  []string // usernames, in the order followed
	moderators, banned         []string // of the user's chat
	chat                       []*chatText
	chatInterval               int                  // slow mode, in seconds
	chatMode                   string               // ChatModeType; "" is DEFAULT
	timeouts                   map[string]time.Time // username: until when
	filterWords                []string             // lower case
	template                   *streamTemplate      // nil: the live stream's settings
	hosting                    string               // the username hosted
	emotes                     []*emote
}

type livestream struct {
	ID, Permlink, Title, TotalReward, ThumbnailURL string
	WatchingCount, View                            int
	Category                                       *category
	Language                                       *language
	Creator                                        *account
	nsfw                                           bool
}

type category struct {
	ID        string
	BackendID int
	Title     string
}

type language struct {
	ID             string
	BackendID      int
	Language, Code string
}

type wallet struct{ Balance, TotalEarning string }

// private is User.private, readable on the token's user only.
type private struct {
	Email, Language string
	Phone           *string
	StreamKey       *streamKey
	StreamTemplate  *streamTemplate
	FilterWords     []string
}

type streamKey struct{ Key string }

type streamTemplate struct {
	Title, ThumbnailURL          string
	AgeRestriction, DisableAlert bool
	Category                     *category
	Language                     *language
}

type chatText struct {
	Type, ID, Content, CreatedAt string
	Emojis                       []int
	SubLength                    int
	Sender                       *streamchatUser
	Role                         *string // site-wide: none in the sandbox
	RoomRole                     string
	Subscribing                  bool
	sent                         time.Time
}

func (*chatText) graphqlType() string { return "ChatText" }

// streamchatUser is a StreamchatUser; its JSON form is the one events
// carry.
type streamchatUser struct {
	ID            string   `json:"id"`
	Username      string   `json:"username"`
	Displayname   string   `json:"displayname"`
	Avatar        string   `json:"avatar"`
	PartnerStatus string   `json:"partnerStatus"`
	Badges        []string `json:"badges"`
	Effect        *string  `json:"effect"`
}

// connection is a Relay-like page: DLive's UserConnection,
// LivestreamConnection and the like.
type connection struct {
	TotalCount int
	List       any
	PageInfo   table.Relay
}

// searchResult is a search's lower-case text.
type searchResult struct{ text string }

// mutationResult is the payload of every mutation: MutationResponse,
// SendStreamchatMessageResponse, EmoteResponse and HostSetResponse, each
// of which reads only its own fields. Err is a business refusal, answered
// with HTTP 200.
type mutationResult struct {
	Err        *mutationError
	Message    typed
	Emote      *emote
	Livestream *livestream
}

type mutationError struct {
	Code    int
	Message string
}

var errNoUser = errors.New("the token has no user: this needs a user token")

func newAPI() *api {
	a := &api{now: time.Now}
	a.seed()
	exec, err := newExecutor(a.resolvers())
	if err != nil {
		panic("dlivetest: the generated schema does not load: " + err.Error())
	}
	a.exec = exec
	return a
}

func (a *api) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decodeRequest(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "the body is not a GraphQL request: "+err.Error())
			return
		}
		g, ok := sandbox.GrantFrom(r.Context())
		if !ok {
			writeError(w, http.StatusUnauthorized, "invalid_token", "invalid access token")
			return
		}
		doc, op, errs := a.exec.prepare(req)
		name := operationOf(req.OperationName, doc)
		if status, ok := sandbox.TakeFault(r.Context(), string(name)); ok {
			if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "1")
			}
			writeError(w, status, "injected_fault", fmt.Sprintf("the sandbox was told to fail %s with %d", name, status))
			return
		}
		if errs != nil {
			writeJSON(w, http.StatusUnprocessableEntity, response{Errors: errs})
			return
		}
		if errs, want := a.refusals(op, g); errs != nil {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="dlive", error="insufficient_scope", scope=%q`, strings.Join(want, " ")))
			writeJSON(w, http.StatusForbidden, response{Errors: errs})
			return
		}
		a.mu.Lock()
		data, errs := a.exec.execute(r.Context(), op)
		a.mu.Unlock()
		writeJSON(w, http.StatusOK, response{Data: data, Errors: errs})
	})
}

// operations are the typed operations of package dlive, by GraphQL
// operation name (TestScopesMatchOperations holds them to the documents).
var operations = map[string]dlive.Operation{
	"ChatDelete":            dlive.OpChatDelete,
	"ChatIntervalSet":       dlive.OpChatSetInterval,
	"ChatModeSet":           dlive.OpChatSetMode,
	"EmoteAdd":              dlive.OpEmotesAdd,
	"EmoteDelete":           dlive.OpEmotesDelete,
	"EmoteSave":             dlive.OpEmotesSave,
	"FilterWordAdd":         dlive.OpModerationAddFilterWord,
	"FilterWordDelete":      dlive.OpModerationDeleteFilterWord,
	"GiveawayClaim":         dlive.OpChatClaimGiveaway,
	"HostSet":               dlive.OpLivestreamsHost,
	"ModeratorAdd":          dlive.OpModerationAddModerator,
	"StreamTemplateSet":     dlive.OpLivestreamsSetTemplate,
	"UserTimeoutSet":        dlive.OpModerationTimeout,
	"Follow":                dlive.OpRelationshipsFollow,
	"Livestreams":           dlive.OpLivestreamsList,
	"LivestreamsFollowing":  dlive.OpLivestreamsListFollowing,
	"Me":                    dlive.OpUsersMe,
	"MePrivate":             dlive.OpUsersMePrivate,
	"MeStreamKey":           dlive.OpUsersGetStreamKey,
	"ModeratorRemove":       dlive.OpModerationRemoveModerator,
	"Search":                dlive.OpUsersSearch,
	"SendStreamchatMessage": dlive.OpChatSend,
	"StreamchatUserBan":     dlive.OpModerationBan,
	"StreamchatUserUnban":   dlive.OpModerationUnban,
	"Unfollow":              dlive.OpRelationshipsUnfollow,
	"User":                  dlive.OpUsersGet,
	"UserByDisplayName":     dlive.OpUsersGetByDisplayName,
}

// operationOf names the operation a request is a call of, for injected
// faults: a typed operation by its GraphQL name, any other query
// GraphQL.Do. doc is nil when the query does not parse.
func operationOf(name string, doc *ast.QueryDocument) dlive.Operation {
	if name == "" && doc != nil && len(doc.Operations) == 1 {
		name = doc.Operations[0].Name
	}
	if op, ok := operations[name]; ok {
		return op
	}
	return dlive.OpGraphQLDo
}

// fieldScopes are the scopes that gate fields, as the operations in
// specs/dlive/*.graphql say (TestScopesMatchOperations holds them to
// dlive's operation table). The private fields other than email and
// streamKey follow the scope table's names (assumed).
var fieldScopes = map[string]scopes.DLive{
	"Query.me":                       scopes.DLiveIdentity,
	"Query.livestreamsFollowing":     scopes.DLiveRelationshipRead,
	"UserPrivate.email":              scopes.DLiveEmailRead,
	"UserPrivate.streamKey":          scopes.DLiveStreamkeyRead,
	"UserPrivate.language":           scopes.DLiveLanguageRead,
	"UserPrivate.subscribers":        scopes.DLiveSubscriptionRead,
	"UserPrivate.subscribing":        scopes.DLiveSubscriptionRead,
	"UserPrivate.streamTemplate":     scopes.DLiveStreamtemplateRead,
	"UserPrivate.filterWords":        scopes.DLiveModerationRead,
	"Mutation.sendStreamchatMessage": scopes.DLiveChatWrite,
	"Mutation.follow":                scopes.DLiveRelationshipWrite,
	"Mutation.unfollow":              scopes.DLiveRelationshipWrite,
	"Mutation.streamchatUserBan":     scopes.DLiveModerationWrite,
	"Mutation.streamchatUserUnban":   scopes.DLiveModerationWrite,
	"Mutation.chatDelete":            scopes.DLiveModerationWrite,
	"Mutation.moderatorRemove":       scopes.DLiveModerationWrite,
	"Mutation.chatIntervalSet":       scopes.DLiveModerationWrite,
	"Mutation.moderatorAdd":          scopes.DLiveModerationWrite,
	"Mutation.userTimeoutSet":        scopes.DLiveModerationWrite,
	"Mutation.chatModeSet":           scopes.DLiveModerationWrite,
	"Mutation.filterWordAdd":         scopes.DLiveModerationWrite,
	"Mutation.filterWordDelete":      scopes.DLiveModerationWrite,
	"Mutation.streamTemplateSet":     scopes.DLiveStreamtemplateWrite,
	"Mutation.hostSet":               scopes.DLiveStreamtemplateWrite,
	"Mutation.giveawayClaim":         scopes.DLiveChestWrite,
	"Mutation.addEmote":              scopes.DLiveEmoteWrite,
	"Mutation.saveEmote":             scopes.DLiveEmoteWrite,
	"Mutation.deleteEmote":           scopes.DLiveEmoteWrite,
}

// gate is what a token with grant g is asked for, field by field. Without
// a user, `me` is null, so nothing below it needs guarding.
func gate(g sandbox.Grant) func(typ, field string) ([][]string, bool) {
	return func(typ, field string) ([][]string, bool) {
		if typ == "Query" && field == "me" && g.User == "" {
			return nil, false
		}
		if s, ok := fieldScopes[typ+"."+field]; ok {
			return [][]string{{string(s)}}, true
		}
		return nil, true
	}
}

// refusals returns an error for each field of op whose scope g lacks, and
// the scopes missing; nil when g covers op.
func (a *api) refusals(op *operation, g sandbox.Grant) (gqlerror.List, []string) {
	var errs gqlerror.List
	var want []string
	for _, n := range a.exec.needs(op, gate(g)) {
		if g.Allows(n.scopes) {
			continue
		}
		for _, s := range n.scopes[0] {
			if !slices.Contains(want, s) {
				want = append(want, s)
			}
		}
		errs = append(errs, fieldError(n.field, n.path, "missing scope "+strings.Join(n.scopes[0], " ")))
	}
	return coded("insufficient_scope", errs...), want
}

func (a *api) resolvers() map[string]resolver {
	empty := func(_ context.Context, _ any, args map[string]any) (any, error) { return page([]any(nil), args) }
	// named lists users by name; search, when set, keeps those whose
	// username or display name contains it.
	named := func(names func(u *account) []string) resolver {
		return func(_ context.Context, parent any, args map[string]any) (any, error) {
			users := a.named(names(parent.(*account)))
			if text := strings.ToLower(str(args, "search")); text != "" {
				users = filter(users, func(u *account) bool { return matches(text, u.Username, u.Displayname) })
			}
			return page(users, args)
		}
	}
	return map[string]resolver{
		"Query.me": func(ctx context.Context, _ any, _ map[string]any) (any, error) { return a.viewer(ctx), nil },
		"Query.user": func(_ context.Context, _ any, args map[string]any) (any, error) {
			return a.user(str(args, "username")), nil
		},
		"Query.userByDisplayName": func(_ context.Context, _ any, args map[string]any) (any, error) {
			name := str(args, "displayname")
			return find(a.users, func(u *account) bool { return strings.EqualFold(u.Displayname, name) }), nil
		},
		"Query.livestreams": func(_ context.Context, _ any, args map[string]any) (any, error) {
			in, _ := args["input"].(map[string]any)
			list, err := a.livestreams(in)
			if err != nil {
				return nil, err
			}
			return page(list, in)
		},
		"Query.livestreamsFollowing": a.asUser(func(me *account, args map[string]any) (any, error) {
			var list []*livestream
			for _, u := range a.named(me.following) {
				if u.Livestream != nil {
					list = append(list, u.Livestream)
				}
			}
			return page(list, args)
		}),
		"Query.search": func(_ context.Context, _ any, args map[string]any) (any, error) {
			return &searchResult{text: strings.ToLower(str(args, "text"))}, nil
		},
		"Query.globalInfo": func(context.Context, any, map[string]any) (any, error) {
			return struct{ Languages []*language }{a.languages}, nil
		},

		"User.followers": func(_ context.Context, parent any, args map[string]any) (any, error) {
			name := parent.(*account).Username
			return page(byDisplayname(filter(a.users, func(f *account) bool { return slices.Contains(f.following, name) }), args), args)
		},
		"User.following": func(_ context.Context, parent any, args map[string]any) (any, error) {
			return page(byDisplayname(a.named(parent.(*account).following), args), args)
		},
		"User.chatModerators":  named(func(u *account) []string { return u.moderators }),
		"User.chatBannedUsers": named(func(u *account) []string { return u.banned }),
		"User.pastBroadcasts":  empty,
		"User.videos":          empty,
		"User.isFollowing": func(ctx context.Context, parent any, _ map[string]any) (any, error) {
			me := a.viewer(ctx)
			if me == nil {
				return nil, nil
			}
			return slices.Contains(me.following, parent.(*account).Username), nil
		},
		"User.private": func(ctx context.Context, parent any, _ map[string]any) (any, error) {
			u := parent.(*account)
			if u != a.viewer(ctx) {
				return nil, nil
			}
			p := &private{Email: u.email, Language: u.language, StreamKey: &streamKey{Key: u.streamKey},
				FilterWords: append([]string{}, u.filterWords...), StreamTemplate: u.template}
			if s := u.Livestream; s != nil && p.StreamTemplate == nil {
				p.StreamTemplate = &streamTemplate{Title: s.Title, ThumbnailURL: s.ThumbnailURL, AgeRestriction: s.nsfw,
					Category: s.Category, Language: s.Language}
			}
			return p, nil
		},
		"UserPrivate.subscribers": empty,
		"UserPrivate.subscribing": empty,

		"SearchResult.users": func(_ context.Context, parent any, args map[string]any) (any, error) {
			text := parent.(*searchResult).text
			return page(filter(a.users, func(u *account) bool { return matches(text, u.Username, u.Displayname) }), args)
		},
		"SearchResult.livestreams": func(_ context.Context, parent any, args map[string]any) (any, error) {
			text := parent.(*searchResult).text
			list, _ := a.livestreams(nil)
			return page(filter(list, func(s *livestream) bool { return matches(text, s.Title, s.Creator.Displayname) }), args)
		},
		"SearchResult.videos": empty,
		"SearchResult.trendingCategories": func(_ context.Context, parent any, args map[string]any) (any, error) {
			text := parent.(*searchResult).text
			return page(filter(a.categories, func(c *category) bool { return matches(text, c.Title) }), args)
		},

		"Mutation.sendStreamchatMessage": a.asUser(a.sendStreamchatMessage),
		"Mutation.follow":                a.mutation(a.follow(true)),
		"Mutation.unfollow":              a.mutation(a.follow(false)),
		"Mutation.streamchatUserBan":     a.mutation(a.ban(true)),
		"Mutation.streamchatUserUnban":   a.mutation(a.ban(false)),
		"Mutation.chatDelete":            a.mutation(a.chatDelete),
		"Mutation.moderatorRemove":       a.mutation(a.moderator(false)),
		"Mutation.chatIntervalSet":       a.mutation(a.chatIntervalSet),
		"Mutation.moderatorAdd":          a.mutation(a.moderator(true)),
		"Mutation.userTimeoutSet":        a.mutation(a.userTimeoutSet),
		"Mutation.chatModeSet":           a.mutation(a.chatModeSet),
		"Mutation.filterWordAdd":         a.mutation(a.filterWord(true)),
		"Mutation.filterWordDelete":      a.mutation(a.filterWord(false)),
		"Mutation.streamTemplateSet":     a.mutation(a.streamTemplateSet),
		"Mutation.giveawayClaim":         a.mutation(a.giveawayClaim),
		"Mutation.hostSet":               a.asUser(a.hostSet),
		"Mutation.addEmote":              a.asUser(a.addEmote),
		"Mutation.saveEmote":             a.asUser(a.saveEmote),
		"Mutation.deleteEmote":           a.mutation(a.deleteEmote),
	}
}

// viewer is the user of the request's token: nil for an application
// token; the seeded user the grant names, or else the user who signs in.
func (a *api) viewer(ctx context.Context) *account {
	g, _ := sandbox.GrantFrom(ctx)
	if g.User == "" {
		return nil
	}
	if u := a.user(g.User); u != nil {
		return u
	}
	return a.user(loginUsername)
}

// asUser is a resolver that needs the token's user.
func (a *api) asUser(f func(me *account, args map[string]any) (any, error)) resolver {
	return func(ctx context.Context, _ any, args map[string]any) (any, error) {
		me := a.viewer(ctx)
		if me == nil {
			return nil, errNoUser
		}
		return f(me, args)
	}
}

func (a *api) user(username string) *account {
	return find(a.users, func(u *account) bool { return u.Username == username })
}

// named returns the users of names, in their order, skipping unknown ones.
func (a *api) named(names []string) []*account {
	var out []*account
	for _, n := range names {
		if u := a.user(n); u != nil {
			out = append(out, u)
		}
	}
	return out
}

// livestreams returns the live streams that in, LivestreamsOption, selects,
// in TRENDING order (the only one known, taken as the default): the most
// watched first. NSFW streams show only with showNSFW.
func (a *api) livestreams(in map[string]any) ([]*livestream, error) {
	lang, byLang, err := integer(in, "languageID")
	if err != nil {
		return nil, err
	}
	cat, byCat, err := integer(in, "categoryID")
	if err != nil {
		return nil, err
	}
	nsfw, _ := in["showNSFW"].(bool)
	mature, _ := in["showMatureContent"].(bool) // LivestreamsOption's other name for it (WEB)
	nsfw = nsfw || mature
	var out []*livestream
	for _, u := range a.users {
		s := u.Livestream
		if s == nil || (s.nsfw && !nsfw) ||
			(byLang && (s.Language == nil || s.Language.BackendID != lang)) ||
			(byCat && (s.Category == nil || s.Category.BackendID != cat)) {
			continue
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y *livestream) int { return cmp.Compare(y.WatchingCount, x.WatchingCount) })
	return out, nil
}
