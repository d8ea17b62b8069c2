package scopes

// DLive is an OAuth scope of the DLive API.
type DLive string

// Scopes of the DLive API. A request needs at least one; [DLiveIdentity] is
// the one to ask for when no other is needed.
const (
	// DLiveIdentity lets an app get the user's username and avatar.
	DLiveIdentity DLive = "identity"
	// DLiveChatWrite lets an app send chat.
	DLiveChatWrite DLive = "chat:write"
	// DLiveChestWrite lets an app claim and open the treasure chest.
	DLiveChestWrite DLive = "chest:write"
	// DLiveCommentWrite lets an app comment.
	DLiveCommentWrite DLive = "comment:write"
	// DLiveEmailRead lets an app get the user's email.
	DLiveEmailRead DLive = "email:read"
	// DLiveEmoteRead lets an app get the user's emote library.
	DLiveEmoteRead DLive = "emote:read"
	// DLiveEmoteWrite lets an app add, save and delete emotes.
	DLiveEmoteWrite DLive = "emote:write"
	// DLiveLanguageRead lets an app get the user's language preference.
	DLiveLanguageRead DLive = "language:read"
	// DLiveModerationRead lets an app get channel moderation info.
	DLiveModerationRead DLive = "moderation:read"
	// DLiveModerationWrite lets an app moderate the channel.
	DLiveModerationWrite DLive = "moderation:write"
	// DLiveRelationshipRead lets an app get the user's follow info.
	DLiveRelationshipRead DLive = "relationship:read"
	// DLiveRelationshipWrite lets an app follow and unfollow.
	DLiveRelationshipWrite DLive = "relationship:write"
	// DLiveStreamkeyRead lets an app get the user's stream key.
	DLiveStreamkeyRead DLive = "streamkey:read"
	// DLiveStreamkeyWrite lets an app regenerate the stream key.
	DLiveStreamkeyWrite DLive = "streamkey:write"
	// DLiveStreamtemplateRead lets an app get the user's channel settings.
	DLiveStreamtemplateRead DLive = "streamtemplate:read"
	// DLiveStreamtemplateWrite lets an app update the user's stream settings.
	DLiveStreamtemplateWrite DLive = "streamtemplate:write"
	// DLiveSubscriptionRead lets an app get the user's subscriber and subscribing details.
	DLiveSubscriptionRead DLive = "subscription:read"
	// DLiveSubsettingWrite lets an app update the subscription setting.
	DLiveSubsettingWrite DLive = "subsetting:write"
	// DLivePanelWrite lets an app update the about panel section.
	DLivePanelWrite DLive = "panel:write"
	// DLiveWatchingRead lets an app know which streamers the user is watching.
	DLiveWatchingRead DLive = "watching:read"
)

// dliveSpec holds the scopes of DLive's Scopes page, in its order, with
// short descriptions of them. phone:read, which a sample answer of the me query
// mentions, is not in that table and so not here. DLive documents no
// implication: a write scope does not cover the read scope of the same name.
var dliveSpec = spec[DLive]{
	name:     "dlive",
	delim:    " ",
	required: true, // "At least 1 scope is required."
	scopes: []scopeDoc[DLive]{
		{DLiveIdentity, "Read the username and avatar"},
		{DLiveChatWrite, "Send chat messages"},
		{DLiveChestWrite, "Claim and open treasure chests"},
		{DLiveCommentWrite, "Post comments"},
		{DLiveEmailRead, "Read the email address"},
		{DLiveEmoteRead, "Read the emote library"},
		{DLiveEmoteWrite, "Add, save and delete emotes"},
		{DLiveLanguageRead, "Read the language preference"},
		{DLiveModerationRead, "Read channel moderation settings"},
		{DLiveModerationWrite, "Moderate the channel"},
		{DLiveRelationshipRead, "Read whom the user follows"},
		{DLiveRelationshipWrite, "Follow and unfollow streamers"},
		{DLiveStreamkeyRead, "Read the stream key"},
		{DLiveStreamkeyWrite, "Regenerate the stream key"},
		{DLiveStreamtemplateRead, "Read the channel settings"},
		{DLiveStreamtemplateWrite, "Update the stream settings"},
		{DLiveSubscriptionRead, "Read subscriber and subscription details"},
		{DLiveSubsettingWrite, "Update subscription settings"},
		{DLivePanelWrite, "Update the about panel"},
		{DLiveWatchingRead, "Read which streamers the user is watching"},
	},
}
