package dlivetest

// The mutations that set up a channel: moderators, timeouts, chat mode,
// filter words, the stream template, hosting, emotes and giveaways
// (fidelity-2 DLive 10).

import (
	"slices"
	"strings"
	"time"
)

// The err codes of the channel mutations, the sandbox's own as the others.
const (
	codeAlreadyModerator = 7010
	codeTimedOut         = 7011
	codeBadDuration      = 7012
	codeChatMode         = 7013
	codeFilterWordExists = 7014
	codeNoFilterWord     = 7015
	codeFilteredWord     = 7016
	codeBadTemplate      = 7017
	codeNotLive          = 7018
	codeNoGiveaway       = 7019
	codeBadEmote         = 7020
	codeEmoteExists      = 7021
	codeEmoteNotFound    = 7022
)

// The chat modes of ChatModeType that limit who writes; DEFAULT does not.
const (
	chatModeSubOnly    = "SUBONLY"
	chatModeFollowOnly = "FOLLOWONLY"
)

// emote is an Emote in a user's library.
type emote struct {
	Name, Username, SourceURL, MimeType, Level, Type string
}

// ownChannel is the channel args' optional streamer names, which only its
// owner may change (what says what), or else the token user's own.
func (a *api) ownChannel(me *account, args map[string]any, what string) (*account, *mutationError) {
	s, refusal := a.channel(me, args)
	if refusal == nil && s != me {
		refusal = refuse(codePermission, "only %s may change the %s", s.Username, what)
	}
	return s, refusal
}

// channel is the user args' optional streamer names, or else me.
func (a *api) channel(me *account, args map[string]any) (*account, *mutationError) {
	if str(args, "streamer") == "" {
		return me, nil
	}
	return a.party(args, "streamer")
}

// moderator makes a user a moderator of a chat, or no longer one.
func (a *api) moderator(add bool) func(me *account, args map[string]any) *mutationError {
	return func(me *account, args map[string]any) *mutationError {
		s, refusal := a.ownChannel(me, args, "moderators of their chat")
		if refusal != nil {
			return refusal
		}
		u, refusal := a.party(args, "username")
		switch {
		case refusal != nil:
			return refusal
		case add && u == s:
			return refuse(codePermission, "you own your chat: you cannot be its moderator")
		case add:
			refusal = toggle(&s.moderators, u.Username, true, refuse(codeAlreadyModerator, "%s is already a moderator of your chat", u.Username))
		default:
			refusal = toggle(&s.moderators, u.Username, false, refuse(codeNotModerator, "%s is not a moderator of your chat", u.Username))
		}
		if refusal == nil {
			a.publish(s.Username, chatModeratorOf(u, s, add))
		}
		return refusal
	}
}

// userTimeoutSet keeps a user out of a streamer's chat for duration
// minutes.
func (a *api) userTimeoutSet(me *account, args map[string]any) *mutationError {
	s, refusal := a.party(args, "streamer")
	if refusal != nil {
		return refusal
	}
	u, refusal := a.party(args, "username")
	if refusal != nil {
		return refusal
	}
	minutes, _, err := integer(args, "duration")
	switch {
	case !canModerate(me, s):
		return refuse(codePermission, "permission denied")
	case u == s:
		return refuse(codePermission, "a streamer cannot be timed out of their own chat")
	case err != nil || minutes <= 0:
		return refuse(codeBadDuration, "the duration must be a whole number of minutes, 1 or more")
	}
	if s.timeouts == nil {
		s.timeouts = map[string]time.Time{}
	}
	s.timeouts[u.Username] = a.now().Add(time.Duration(minutes) * time.Minute)
	a.publish(s.Username, chatTimeoutEvent{newEvent("ChatTimeout", "Timeout"), minutes, bannedByOf(me, s), senderOf(u, s)})
	return nil
}

func (a *api) chatModeSet(me *account, args map[string]any) *mutationError {
	mode := str(args, "chatMode") // the schema's validation leaves only ChatModeType's values
	me.chatMode = mode
	a.publish(me.Username, chatChangeModeEvent{eventHead{Typename: "ChatChangeMode", Type: "ChatMode"}, mode})
	return nil
}

// filterWord adds a word the token user's chat filters out, or removes one.
func (a *api) filterWord(add bool) func(me *account, args map[string]any) *mutationError {
	return func(me *account, args map[string]any) *mutationError {
		word := strings.ToLower(strings.TrimSpace(str(args, "word")))
		if word == "" {
			return refuse(codeNoFilterWord, "the word is empty")
		}
		if add {
			return toggle(&me.filterWords, word, true, refuse(codeFilterWordExists, "%q is already filtered", word))
		}
		return toggle(&me.filterWords, word, false, refuse(codeNoFilterWord, "%q is not filtered", word))
	}
}

// streamTemplateSet keeps the settings the token user's next stream starts
// with; the category and language must exist.
func (a *api) streamTemplateSet(me *account, args map[string]any) *mutationError {
	in, _ := args["template"].(map[string]any)
	cat, _, _ := integer(in, "categoryID")
	lang, _, _ := integer(in, "languageID")
	c := find(a.categories, func(c *category) bool { return c.BackendID == cat })
	l := find(a.languages, func(l *language) bool { return l.BackendID == lang })
	switch {
	case strings.TrimSpace(str(in, "title")) == "":
		return refuse(codeBadTemplate, "the title is empty")
	case c == nil:
		return refuse(codeBadTemplate, "no category has backendID %d", cat)
	case l == nil:
		return refuse(codeBadTemplate, "no language has backendID %d", lang)
	}
	age, _ := in["ageRestriction"].(bool)
	alert, _ := in["disableAlert"].(bool)
	me.template = &streamTemplate{Title: str(in, "title"), ThumbnailURL: str(in, "thumbnailUrl"),
		AgeRestriction: age, DisableAlert: alert, Category: c, Language: l}
	return nil
}

// giveawayClaim refuses: no treasure chest of the sandbox runs a giveaway.
func (a *api) giveawayClaim(_ *account, args map[string]any) *mutationError {
	s, refusal := a.party(args, "streamer")
	if refusal != nil {
		return refusal
	}
	return refuse(codeNoGiveaway, "no giveaway is running in the treasure chest of %s", s.Username)
}

// hostSet makes the token user's channel host a live stream.
func (a *api) hostSet(me *account, args map[string]any) (any, error) {
	s, refusal := a.party(args, "username")
	switch {
	case refusal != nil:
	case s == me:
		refusal = refuse(codePermission, "you cannot host your own stream")
	case s.Livestream == nil:
		refusal = refuse(codeNotLive, "%s is not live", s.Username)
	}
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	me.hosting = s.Username
	viewers := 0
	if me.Livestream != nil {
		viewers = me.Livestream.WatchingCount
	}
	a.publish(s.Username, chatHostEvent{newEvent("ChatHost", "Host"), viewers, senderOf(me, s)})
	return &mutationResult{Livestream: s.Livestream}, nil
}

func (a *api) addEmote(me *account, args map[string]any) (any, error) {
	in, _ := args["input"].(map[string]any)
	owner, refusal := a.ownChannel(me, in, "emotes of their channel")
	name := str(in, "name")
	switch {
	case refusal != nil:
	case name == "":
		refusal = refuse(codeBadEmote, "the emote needs a name")
	case !strings.HasPrefix(str(in, "url"), "https://"):
		refusal = refuse(codeBadEmote, "the emote's url must be an https URL")
	case owner.emote(name) != nil:
		refusal = refuse(codeEmoteExists, "an emote named %s exists", name)
	}
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	e := &emote{Name: name, Username: owner.Username, SourceURL: str(in, "url"), MimeType: str(in, "mimeType"),
		Level: str(in, "level"), Type: str(in, "type")}
	owner.emotes = append(owner.emotes, e)
	return &mutationResult{Emote: e}, nil
}

// saveEmote copies an emote of streamer's (or the token user's) library
// into the token user's own, at myLevel.
func (a *api) saveEmote(me *account, args map[string]any) (any, error) {
	in, _ := args["input"].(map[string]any)
	from, refusal := a.channel(me, in)
	if refusal != nil {
		return &mutationResult{Err: refusal}, nil
	}
	name := str(in, "name")
	e := from.emote(name)
	switch {
	case e == nil || e.Level != str(in, "level") || e.Type != str(in, "type"):
		return &mutationResult{Err: refuse(codeEmoteNotFound, "%s has no such emote %s", from.Username, name)}, nil
	case from != me && me.emote(name) != nil:
		return &mutationResult{Err: refuse(codeEmoteExists, "an emote named %s exists", name)}, nil
	}
	saved := *e
	saved.Level = str(in, "myLevel")
	if from == me {
		*e = saved
		return &mutationResult{Emote: e}, nil
	}
	me.emotes = append(me.emotes, &saved)
	return &mutationResult{Emote: &saved}, nil
}

func (a *api) deleteEmote(me *account, args map[string]any) *mutationError {
	in, _ := args["input"].(map[string]any)
	owner, refusal := a.ownChannel(me, in, "emotes of their channel")
	if refusal != nil {
		return refusal
	}
	name := str(in, "name")
	i := slices.IndexFunc(owner.emotes, func(e *emote) bool {
		return e.Name == name && e.Level == str(in, "level") && e.Type == str(in, "type")
	})
	if i < 0 {
		return refuse(codeEmoteNotFound, "%s has no such emote %s", owner.Username, name)
	}
	owner.emotes = slices.Delete(slices.Clone(owner.emotes), i, i+1)
	return nil
}

func (u *account) emote(name string) *emote {
	return find(u.emotes, func(e *emote) bool { return e.Name == name })
}

// chatRefusal is why me may not write in s's chat now, beyond bans and slow
// mode: a timeout, the chat's mode, or a filtered word. The streamer and
// moderators are exempt from the mode and the filter.
func (a *api) chatRefusal(me, s *account, text string, subscribing bool, now time.Time) *mutationError {
	if until, ok := s.timeouts[me.Username]; ok && now.Before(until) {
		return refuse(codeTimedOut, "you are timed out of this chat until %s", until.UTC().Format(time.RFC3339))
	}
	if canModerate(me, s) {
		return nil
	}
	switch s.chatMode {
	case chatModeFollowOnly:
		if !slices.Contains(me.following, s.Username) {
			return refuse(codeChatMode, "this chat is for followers only")
		}
	case chatModeSubOnly:
		if !subscribing {
			return refuse(codeChatMode, "this chat is for subscribers only")
		}
	}
	lower := strings.ToLower(text)
	for _, w := range s.filterWords {
		if strings.Contains(lower, w) {
			return refuse(codeFilteredWord, "the message holds a filtered word")
		}
	}
	return nil
}
