package scopes

// Livepush is an OAuth scope of the Livepush REST API.
//
// Livepush separates scopes with commas in its scope parameter, where the
// other providers use spaces; [Join] takes care of that.
type Livepush string

// Scopes of the Livepush Accounts API.
const (
	// LivepushProfileRead lets an app read user profile information.
	LivepushProfileRead Livepush = "profile.read"
	// LivepushProfileWrite lets an app update or modify user profile information.
	LivepushProfileWrite Livepush = "profile.write"
	// LivepushSubscriptionsRead lets an app read user subscription details.
	LivepushSubscriptionsRead Livepush = "subscriptions.read"
	// LivepushAuthModify lets an app modify user authentication details.
	LivepushAuthModify Livepush = "auth.modify"
	// LivepushBillingRead lets an app read billing data such as invoices and payments.
	LivepushBillingRead Livepush = "billing.read"
	// LivepushTeamsRead lets an app read team-related data.
	LivepushTeamsRead Livepush = "teams.read"
	// LivepushTeamsWrite lets an app modify team-related data.
	LivepushTeamsWrite Livepush = "teams.write"
)

// Scopes of the Livepush Streams API.
const (
	// LivepushRegionsRead lets an app retrieve the list of available regions.
	LivepushRegionsRead Livepush = "regions.read"
	// LivepushStreamsRead lets an app read user stream data.
	LivepushStreamsRead Livepush = "streams.read"
	// LivepushStreamsWrite lets an app update existing stream data.
	LivepushStreamsWrite Livepush = "streams.write"
	// LivepushStreamsCreate lets an app create or deploy new streams.
	LivepushStreamsCreate Livepush = "streams.create"
	// LivepushStreamsDelete lets an app delete or destroy streams.
	LivepushStreamsDelete Livepush = "streams.delete"
	// LivepushStreamsVideosRead lets an app read stream video data.
	LivepushStreamsVideosRead Livepush = "streams.videos.read"
	// LivepushStreamsVideosWrite lets an app update or delete stream video data.
	LivepushStreamsVideosWrite Livepush = "streams.videos.write"
	// LivepushStreamsDestinationsRead lets an app read and list stream destinations configured for a stream.
	LivepushStreamsDestinationsRead Livepush = "streams.destinations.read"
	// LivepushStreamsDestinationsWrite lets an app create, update, and remove stream destinations for a stream.
	LivepushStreamsDestinationsWrite Livepush = "streams.destinations.write"
)

// livepushSpec holds the scopes of the "Scopes and Permissions" section of
// Livepush's OAuth Authentication page, in its order and with its
// descriptions. Livepush documents no combination rule or implication.
var livepushSpec = spec[Livepush]{
	name:     "livepush",
	delim:    ",",
	required: true,
	scopes: []scopeDoc[Livepush]{
		{LivepushProfileRead, "Read user profile information"},
		{LivepushProfileWrite, "Update or modify user profile information"},
		{LivepushSubscriptionsRead, "Read user subscription details"},
		{LivepushAuthModify, "Modify user authentication details"},
		{LivepushBillingRead, "Read billing data such as invoices and payments"},
		{LivepushTeamsRead, "Read team-related data"},
		{LivepushTeamsWrite, "Modify team-related data"},
		{LivepushRegionsRead, "Retrieve the list of available regions"},
		{LivepushStreamsRead, "Read user stream data"},
		{LivepushStreamsWrite, "Update existing stream data"},
		{LivepushStreamsCreate, "Create or deploy new streams"},
		{LivepushStreamsDelete, "Delete or destroy streams"},
		{LivepushStreamsVideosRead, "Read stream video data"},
		{LivepushStreamsVideosWrite, "Update or delete stream video data"},
		{LivepushStreamsDestinationsRead, "Read and list stream destinations configured for a stream"},
		{LivepushStreamsDestinationsWrite, "Create, update, and remove stream destinations for a stream"},
	},
}
