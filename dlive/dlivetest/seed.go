package dlivetest

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The user who signs in, as the spec's examples show them.
const (
	loginUsername    = "dlive-87654321"
	loginDisplayname = "OnairDemo"
	loginEmail       = "demo@example.com"
)

// seedTime is when the seeded chat messages were sent.
var seedTime = time.Date(2025, 3, 14, 19, 0, 0, 0, time.UTC)

// seed fills the store: the user who signs in, live now, with followers,
// a moderator, a banned user and chat messages; twelve more live streams
// (and one NSFW), so that the default page of 10 leaves a second page; and
// two offline users. dlive-12345678 (PixelPilot) is the streamer the spec's
// examples chat with and follow: the user who signs in does neither yet.
func (a *api) seed() {
	for i, name := range []string{"English", "Deutsch", "Español", "Français", "Português"} {
		code := []string{"en", "de", "es", "fr", "pt"}[i]
		a.languages = append(a.languages, &language{ID: strconv.Itoa(i + 1), BackendID: i + 1, Language: name, Code: code})
	}
	for i, title := range []string{"Just Chatting", "Chess", "Music", "Speedrunning", "Retro Games", "Software Development", "Minecraft"} {
		a.categories = append(a.categories, &category{ID: strconv.Itoa(i + 1), BackendID: i + 1, Title: title})
	}

	users := []struct {
		username, displayname, title string
		watching, category, language int // 0: offline
		nsfw                         bool
		following                    []string
	}{
		{loginUsername, loginDisplayname, "Building onair, a Go SDK for live streaming", 23, 6, 1, false,
			[]string{"dlive-34567890", "dlive-45678901", "dlive-56789012"}},
		{"dlive-12345678", "PixelPilot", "Any% practice", 87, 4, 1, false, []string{loginUsername, "dlive-34567890"}},
		{"dlive-34567890", "Springer", "Chill chess, !commands", 41, 2, 2, false, []string{loginUsername, "dlive-12345678"}},
		{"dlive-45678901", "nightowl", "Late night lo-fi", 12, 3, 1, false, []string{"dlive-12345678"}},
		{"dlive-23456789", "RetroRally", "Rally '98 time trials", 64, 5, 1, false, []string{"dlive-12345678"}},
		{"dlive-56789013", "ChefKoa", "Sunday ramen from scratch", 35, 1, 1, false, nil},
		{"dlive-67890124", "TundraTunes", "Acoustic requests", 19, 3, 3, false, nil},
		{"dlive-78901235", "GlitchGarden", "Skyblock, day 40", 58, 7, 4, false, []string{loginUsername}},
		{"dlive-89012346", "VelvetVox", "Karaoke night", 27, 3, 5, false, nil},
		{"dlive-90123457", "MapleMaker", "Walnut desk build", 8, 1, 1, false, nil},
		{"dlive-13579246", "LunaLanes", "Speedrun route planning", 15, 4, 1, false, nil},
		{"dlive-24681357", "CodeCanyon", "Async Rust deep dive", 44, 6, 1, false, nil},
		{"dlive-11223344", "LateShowLeo", "After dark talk show (18+)", 70, 1, 1, true, nil},
		{"dlive-56789012", "quietquokka", "", 0, 0, 0, false, []string{loginUsername, "dlive-45678901"}},
		{"dlive-67890123", "trollbot99", "", 0, 0, 0, false, nil},
	}
	for i, s := range users {
		sum := fmt.Sprintf("%x", sha256.Sum256([]byte(s.username)))
		u := &account{
			ID:            "user:" + s.username,
			Username:      s.username,
			Displayname:   s.displayname,
			Avatar:        fmt.Sprintf("https://images.prd.dlivecdn.com/avatar/default%d.png", 21+i),
			PartnerStatus: "NONE",
			email:         strings.ToLower(s.displayname) + "@example.com",
			streamKey:     sum[:32],
			language:      "en",
			following:     s.following,
		}
		if s.watching > 0 {
			permlink := s.username + "+" + sum[32:41]
			u.Livestream = &livestream{
				ID:            "livestream:" + permlink,
				Permlink:      permlink,
				Title:         s.title,
				WatchingCount: s.watching,
				View:          s.watching * 37,
				TotalReward:   strconv.Itoa(s.watching * 1250),
				ThumbnailURL:  "https://images.prd.dlivecdn.com/thumbnail/" + sum[32:41] + ".jpg",
				Category:      a.categories[s.category-1],
				Language:      a.languages[s.language-1],
				Creator:       u,
				nsfw:          s.nsfw,
			}
		}
		a.users = append(a.users, u)
	}

	me := a.user(loginUsername)
	me.email = loginEmail
	me.About = "Building onair live: streams of the SDK's own development."
	me.Wallet = &wallet{Balance: "2500000", TotalEarning: "12800000"}
	me.moderators = []string{"dlive-34567890"}
	me.banned = []string{"dlive-67890123"}
	me.filterWords = []string{"scam"}
	me.emotes = []*emote{{Name: "onairHeart", Username: loginUsername, SourceURL: "https://images.prd.dlivecdn.com/emote/heart.png",
		MimeType: "image/png", Level: "CHANNEL_LEVEL", Type: "EMOTE"}}
	for i, m := range []struct{ id, from, text string }{
		{"0b8e2a64-3f1c-4d7a-9e25-6c1f8a0d4b31", "dlive-34567890", "gm chat"},
		{"5d1c9f27-8a4e-4b60-b3d2-17e9c5a8f046", "dlive-56789012", "first!"},
		{"a93f6e10-2c7b-4e85-8d14-f0b2a6c4e978", "dlive-12345678", "nice overlay"},
	} {
		sent := seedTime.Add(time.Duration(i) * time.Minute)
		me.chat = append(me.chat, &chatText{Type: "Message", ID: m.id, Content: m.text,
			CreatedAt: strconv.FormatInt(sent.UnixNano(), 10), Sender: sender(a.user(m.from)), RoomRole: roomRole(a.user(m.from), me), sent: sent})
	}
}

// roomRole is u's role in s's chat.
func roomRole(u, s *account) string {
	switch {
	case u == s:
		return "Owner"
	case canModerate(u, s):
		return "Moderator"
	}
	return "Member"
}
