package dlivetest

// The mutations: follows, chat and its moderation.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The err codes of refused mutations. DLive documents none: 4001 is the
// spec's example of a refused follow and 7002 the client tests' ban; the
// others are the sandbox's own.
const (
	codeAlreadyFollowing = 4001
	codeNotFollowing     = 4002
	codeFollowSelf       = 4003
	codeUserNotFound     = 4004
	codePermission       = 4030
	codeBanned           = 7002
	codeSlowMode         = 7003
	codeEmptyMessage     = 7004
	codeMessageNotFound  = 7005
	codeAlreadyBanned    = 7006
	codeNotBanned        = 7007
	codeNotModerator     = 7008
	codeBadInterval      = 7009
)

// refuse is a mutation's err payload.
func refuse(code int, format string, args ...any) *mutationError {
	return &mutationError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// mutation is a resolver of a mutation that answers only err: f's refusal,
// or nil when it did the change.
func (a *api) mutation(f func(me *account, args map[string]any) *mutationError) resolver {
	return a.asUser(func(me *account, args map[string]any) (any, error) {
		return &mutationResult{Err: f(me, args)}, nil
	})
}

// party returns the user args' field names, or the refusal when there is
// none.
func (a *api) party(args map[string]any, field string) (*account, *mutationError) {
	if u := a.user(str(args, field)); u != nil {
		return u, nil
	}
	return nil, refuse(codeUserNotFound, "user %s not found", str(args, field))
}

// toggle adds name to list, or removes it, unless it already is, or is
// not, in the list: then it returns refusal.
func toggle(list *[]string, name string, add bool, refusal *mutationError) *mutationError {
	if slices.Contains(*list, name) == add {
		return refusal
	}
	if add {
		*list = append(*list, name)
	} else {
		*list = slices.DeleteFunc(slices.Clone(*list), func(n string) bool { return n == name })
	}
	return nil
}

// follow makes the token's user follow the streamer, or unfollow them.
func (a *api) follow(on bool) func(me *account, args map[string]any) *mutationError {
	return func(me *account, args map[string]any) *mutationError {
		s, refusal := a.party(args, "streamer")
		switch {
		case refusal != nil:
			return refusal
		case on && s == me:
			return refuse(codeFollowSelf, "you cannot follow yourself")
		case on:
			refusal = toggle(&me.following, s.Username, true, refuse(codeAlreadyFollowing, "already following"))
			if refusal == nil {
				a.publish(s.Username, chatFollowOf(me, s))
			}
			return refusal
		}
		return toggle(&me.following, s.Username, false, refuse(codeNotFollowing, "not following"))
	}
}

// sendStreamchatMessage posts to a chat, unless the sender is banned from
// it or, in slow mode, sent there less than its interval ago (the streamer
// and moderators are exempt).
func (a *api) sendStreamchatMessage(me *account, args map[string]any) (any, error) {
	in, _ := args["input"].(map[string]any)
	s, refusal := a.party(in, "streamer")
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	text, now := str(in, "message"), a.now()
	subscribing, _ := in["subscribing"].(bool)
	switch wait := slowModeWait(me, s, now); {
	case slices.Contains(s.banned, me.Username):
		refusal = refuse(codeBanned, "you are banned from this chat")
	case strings.TrimSpace(text) == "":
		refusal = refuse(codeEmptyMessage, "the message is empty")
	case wait > 0:
		refusal = refuse(codeSlowMode, "slow mode: wait %d more second(s)", int(math.Ceil(wait.Seconds())))
	default:
		refusal = a.chatRefusal(me, s, text, subscribing, now)
	}
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	emojis := []int{}
	list, _ := in["emojis"].([]any)
	for _, v := range list {
		if n, err := intValue(v); err == nil {
			emojis = append(emojis, n)
		}
	}
	m := &chatText{
		Emojis:      emojis,
		Type:        "Message",
		ID:          uuid.NewString(),
		Content:     text,
		CreatedAt:   strconv.FormatInt(now.UnixNano(), 10),
		Sender:      sender(me),
		RoomRole:    str(in, "roomRole"),
		Subscribing: subscribing,
		sent:        now,
	}
	s.chat = append(s.chat, m)
	a.publish(s.Username, chatTextOf(m))
	return &mutationResult{Message: m}, nil
}

// slowModeWait is how long me must still wait before writing in s's chat.
func slowModeWait(me, s *account, now time.Time) time.Duration {
	if s.chatInterval <= 0 || canModerate(me, s) {
		return 0
	}
	for _, m := range slices.Backward(s.chat) {
		if m.Sender.Username == me.Username {
			return m.sent.Add(time.Duration(s.chatInterval) * time.Second).Sub(now)
		}
	}
	return 0
}

func (a *api) chatDelete(me *account, args map[string]any) *mutationError {
	s, refusal := a.party(args, "streamer")
	if refusal != nil {
		return refusal
	}
	id := str(args, "id")
	i := slices.IndexFunc(s.chat, func(m *chatText) bool { return m.ID == id })
	switch {
	case !canModerate(me, s):
		return refuse(codePermission, "permission denied")
	case i < 0:
		return refuse(codeMessageNotFound, "message %s not found", id)
	}
	s.chat = slices.Delete(s.chat, i, i+1)
	a.publish(s.Username, chatDeleteOf(id))
	return nil
}

// ban makes a moderator of the streamer's chat ban a user from it, or
// unban them.
func (a *api) ban(on bool) func(me *account, args map[string]any) *mutationError {
	return func(me *account, args map[string]any) *mutationError {
		s, refusal := a.party(args, "streamer")
		if refusal != nil {
			return refusal
		}
		u, refusal := a.party(args, "username")
		switch {
		case refusal != nil:
			return refusal
		case !canModerate(me, s):
			return refuse(codePermission, "permission denied")
		case on && u == s:
			return refuse(codePermission, "a streamer cannot be banned from their own chat")
		case on:
			refusal = toggle(&s.banned, u.Username, true, refuse(codeAlreadyBanned, "%s is already banned", u.Username))
			if refusal == nil {
				a.publish(s.Username, chatBanOf(me, u, s))
			}
			return refusal
		}
		return toggle(&s.banned, u.Username, false, refuse(codeNotBanned, "%s is not banned", u.Username))
	}
}

func (a *api) chatIntervalSet(me *account, args map[string]any) *mutationError {
	n, _, err := integer(args, "seconds")
	if err != nil || n < 0 {
		return refuse(codeBadInterval, "the interval must be a whole number of seconds, 0 or more")
	}
	me.chatInterval = n
	return nil
}

func canModerate(me, s *account) bool {
	return me == s || slices.Contains(s.moderators, me.Username)
}

func sender(u *account) *streamchatUser {
	return &streamchatUser{ID: "streamchatuser:" + u.Username, Username: u.Username, Displayname: u.Displayname,
		Avatar: u.Avatar, PartnerStatus: u.PartnerStatus}
}
