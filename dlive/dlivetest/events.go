package dlivetest

// The chat events the API's mutations make, with every field of their
// schema types: DLive pushes every field, whatever the selection set.

import (
	"encoding/json"

	"github.com/google/uuid"
)

// eventUser is a StreamchatUser in an event.
type eventUser struct {
	Typename string `json:"__typename"`
	streamchatUser
}

// senderInfo is the SenderInfo part of an event: who caused it.
type senderInfo struct {
	Sender      *eventUser `json:"sender"`
	Role        string     `json:"role"`
	RoomRole    string     `json:"roomRole"`
	Subscribing bool       `json:"subscribing"`
}

// eventHead opens every event. Only ChatDelete and ChatChangeMode have no
// id.
type eventHead struct {
	Typename string `json:"__typename"`
	Type     string `json:"type"`
	ID       string `json:"id,omitempty"`
}

// newEvent is the head of a new event of typename, with an id of its own.
func newEvent(typename, typ string) eventHead {
	return eventHead{Typename: typename, Type: typ, ID: uuid.NewString()}
}

// bannedBy is the moderator who banned or timed out an event's sender.
type bannedBy struct {
	BannedBy         *eventUser `json:"bannedBy"`
	BannedByRoomRole string     `json:"bannedByRoomRole"`
}

type chatTextEvent struct {
	eventHead
	Content   string `json:"content"`
	CreatedAt string `json:"createdAt"`
	Emojis    []int  `json:"emojis"`
	SubLength int    `json:"subLength"`
	senderInfo
}

type chatFollowEvent struct {
	eventHead
	senderInfo
}

type chatDeleteEvent struct {
	eventHead
	IDs []string `json:"ids"`
}

type chatBanEvent struct {
	eventHead
	bannedBy
	senderInfo
}

type chatModeratorEvent struct {
	eventHead
	Add bool `json:"add"`
	senderInfo
}

type chatTimeoutEvent struct {
	eventHead
	Minute int `json:"minute"`
	bannedBy
	senderInfo
}

type chatChangeModeEvent struct {
	eventHead
	Mode string `json:"mode"`
}

type chatHostEvent struct {
	eventHead
	Viewer int `json:"viewer"`
	senderInfo
}

// publish delivers a chat event of streamer's to its subscribers. Callers
// hold a.mu.
func (a *api) publish(streamer string, event any) {
	if a.events == nil {
		return
	}
	raw, _ := json.Marshal(event) // the event types always marshal
	a.events.publish(fieldChat, streamer, raw)
}

func toEventUser(u *streamchatUser) *eventUser {
	e := &eventUser{Typename: "StreamchatUser", streamchatUser: *u}
	e.Badges = []string{} // the sandbox awards none
	return e
}

// senderOf is u's SenderInfo in s's chat. The sandbox has no paid
// subscriptions and no staff.
func senderOf(u, s *account) senderInfo {
	return senderInfo{Sender: toEventUser(sender(u)), Role: "None", RoomRole: roomRole(u, s)}
}

func chatTextOf(m *chatText) chatTextEvent {
	return chatTextEvent{eventHead: eventHead{Typename: "ChatText", Type: "Message", ID: m.ID}, Content: m.Content, CreatedAt: m.CreatedAt,
		Emojis: append([]int{}, m.Emojis...), senderInfo: senderInfo{Sender: toEventUser(m.Sender), Role: "None", RoomRole: m.RoomRole, Subscribing: m.Subscribing}}
}

func chatFollowOf(follower, s *account) chatFollowEvent {
	return chatFollowEvent{newEvent("ChatFollow", "Follow"), senderOf(follower, s)}
}

func chatDeleteOf(ids ...string) chatDeleteEvent {
	return chatDeleteEvent{eventHead{Typename: "ChatDelete", Type: "Delete"}, ids}
}

// chatBanOf is the ban of u from s's chat by moderator by: the sender is
// the banned user.
func chatBanOf(by, u, s *account) chatBanEvent {
	return chatBanEvent{newEvent("ChatBan", "Ban"), bannedByOf(by, s), senderOf(u, s)}
}

// chatModeratorOf is u made, or no longer, a moderator of s's chat.
func chatModeratorOf(u, s *account, add bool) chatModeratorEvent {
	return chatModeratorEvent{newEvent("ChatModerator", "Moderator"), add, senderOf(u, s)}
}

// bannedByOf is moderator by in s's chat.
func bannedByOf(by, s *account) bannedBy {
	return bannedBy{BannedBy: toEventUser(sender(by)), BannedByRoomRole: roomRole(by, s)}
}
