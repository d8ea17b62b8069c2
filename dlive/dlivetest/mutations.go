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

// parties returns the users args' fields name, or the refusal of the
// first one that does not exist.
func (a *api) parties(args map[string]any, fields ...string) ([]*account, *mutationError) {
	var out []*account
	for _, f := range fields {
		u := a.user(str(args, f))
		if u == nil {
			return nil, refuse(codeUserNotFound, "user %s not found", str(args, f))
		}
		out = append(out, u)
	}
	return out, nil
}

func (a *api) follow(me *account, args map[string]any) *mutationError {
	us, refusal := a.parties(args, "streamer")
	switch {
	case refusal != nil:
		return refusal
	case us[0] == me:
		return refuse(codeFollowSelf, "you cannot follow yourself")
	case slices.Contains(me.following, us[0].Username):
		return refuse(codeAlreadyFollowing, "already following")
	}
	me.following = append(me.following, us[0].Username)
	return nil
}

func (a *api) unfollow(me *account, args map[string]any) *mutationError {
	us, refusal := a.parties(args, "streamer")
	switch {
	case refusal != nil:
		return refusal
	case !slices.Contains(me.following, us[0].Username):
		return refuse(codeNotFollowing, "not following")
	}
	me.following = remove(me.following, us[0].Username)
	return nil
}

// sendStreamchatMessage posts to a chat, unless the sender is banned from
// it or, in slow mode, sent there less than its interval ago (the streamer
// and moderators are exempt).
func (a *api) sendStreamchatMessage(me *account, args map[string]any) (any, error) {
	in, _ := args["input"].(map[string]any)
	us, refusal := a.parties(in, "streamer")
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	s, text, now := us[0], str(in, "message"), a.now()
	switch wait := a.slowModeWait(me, s, now); {
	case slices.Contains(s.banned, me.Username):
		refusal = refuse(codeBanned, "you are banned from this chat")
	case strings.TrimSpace(text) == "":
		refusal = refuse(codeEmptyMessage, "the message is empty")
	case wait > 0:
		refusal = refuse(codeSlowMode, "slow mode: wait %d more second(s)", int(math.Ceil(wait.Seconds())))
	}
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	subscribing, _ := in["subscribing"].(bool)
	m := &chatText{
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
	return &mutationResult{Message: m}, nil
}

// slowModeWait is how long me must still wait before writing in s's chat.
func (a *api) slowModeWait(me, s *account, now time.Time) time.Duration {
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
	us, refusal := a.parties(args, "streamer")
	if refusal != nil {
		return refusal
	}
	s, id := us[0], str(args, "id")
	i := slices.IndexFunc(s.chat, func(m *chatText) bool { return m.ID == id })
	switch {
	case !canModerate(me, s):
		return refuse(codePermission, "permission denied")
	case i < 0:
		return refuse(codeMessageNotFound, "message %s not found", id)
	}
	s.chat = slices.Delete(s.chat, i, i+1)
	return nil
}

func (a *api) ban(me *account, args map[string]any) *mutationError {
	s, u, refusal := a.moderated(me, args)
	switch {
	case refusal != nil:
		return refusal
	case u == s:
		return refuse(codePermission, "a streamer cannot be banned from their own chat")
	case slices.Contains(s.banned, u.Username):
		return refuse(codeAlreadyBanned, "%s is already banned", u.Username)
	}
	s.banned = append(s.banned, u.Username)
	return nil
}

func (a *api) unban(me *account, args map[string]any) *mutationError {
	s, u, refusal := a.moderated(me, args)
	switch {
	case refusal != nil:
		return refusal
	case !slices.Contains(s.banned, u.Username):
		return refuse(codeNotBanned, "%s is not banned", u.Username)
	}
	s.banned = remove(s.banned, u.Username)
	return nil
}

// moderated returns the streamer and the user a ban names, or the refusal
// when one is unknown or me may not moderate the streamer's chat.
func (a *api) moderated(me *account, args map[string]any) (s, u *account, refusal *mutationError) {
	us, refusal := a.parties(args, "streamer", "username")
	switch {
	case refusal != nil:
		return nil, nil, refusal
	case !canModerate(me, us[0]):
		return nil, nil, refuse(codePermission, "permission denied")
	}
	return us[0], us[1], nil
}

func (a *api) moderatorRemove(me *account, args map[string]any) *mutationError {
	us, refusal := a.parties(args, "username")
	switch {
	case refusal != nil:
		return refusal
	case !slices.Contains(me.moderators, us[0].Username):
		return refuse(codeNotModerator, "%s is not a moderator of your chat", us[0].Username)
	}
	me.moderators = remove(me.moderators, us[0].Username)
	return nil
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
