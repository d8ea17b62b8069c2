package scopes_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/onair-go/onair/scopes"
)

// constants is every exported scope constant, by name, with the wire value
// the provider documents. It is what an outside reader checks the package
// against.
var constants = []struct {
	name  string
	value string // the constant, converted
	want  string // the documented scope
}{
	{"LivepushProfileRead", string(scopes.LivepushProfileRead), "profile.read"},
	{"LivepushProfileWrite", string(scopes.LivepushProfileWrite), "profile.write"},
	{"LivepushSubscriptionsRead", string(scopes.LivepushSubscriptionsRead), "subscriptions.read"},
	{"LivepushAuthModify", string(scopes.LivepushAuthModify), "auth.modify"},
	{"LivepushBillingRead", string(scopes.LivepushBillingRead), "billing.read"},
	{"LivepushTeamsRead", string(scopes.LivepushTeamsRead), "teams.read"},
	{"LivepushTeamsWrite", string(scopes.LivepushTeamsWrite), "teams.write"},
	{"LivepushRegionsRead", string(scopes.LivepushRegionsRead), "regions.read"},
	{"LivepushStreamsRead", string(scopes.LivepushStreamsRead), "streams.read"},
	{"LivepushStreamsWrite", string(scopes.LivepushStreamsWrite), "streams.write"},
	{"LivepushStreamsCreate", string(scopes.LivepushStreamsCreate), "streams.create"},
	{"LivepushStreamsDelete", string(scopes.LivepushStreamsDelete), "streams.delete"},
	{"LivepushStreamsVideosRead", string(scopes.LivepushStreamsVideosRead), "streams.videos.read"},
	{"LivepushStreamsVideosWrite", string(scopes.LivepushStreamsVideosWrite), "streams.videos.write"},
	{"LivepushStreamsDestinationsRead", string(scopes.LivepushStreamsDestinationsRead), "streams.destinations.read"},
	{"LivepushStreamsDestinationsWrite", string(scopes.LivepushStreamsDestinationsWrite), "streams.destinations.write"},

	{"LivestormFullRead", string(scopes.LivestormFullRead), "full:read"},
	{"LivestormFullWrite", string(scopes.LivestormFullWrite), "full:write"},
	{"LivestormIdentityRead", string(scopes.LivestormIdentityRead), "identity:read"},
	{"LivestormIdentityWrite", string(scopes.LivestormIdentityWrite), "identity:write"},
	{"LivestormEventsRead", string(scopes.LivestormEventsRead), "events:read"},
	{"LivestormEventsWrite", string(scopes.LivestormEventsWrite), "events:write"},
	{"LivestormAdminRead", string(scopes.LivestormAdminRead), "admin:read"},
	{"LivestormAdminWrite", string(scopes.LivestormAdminWrite), "admin:write"},
	{"LivestormWebhooksRead", string(scopes.LivestormWebhooksRead), "webhooks:read"},
	{"LivestormWebhooksWrite", string(scopes.LivestormWebhooksWrite), "webhooks:write"},

	{"DLiveIdentity", string(scopes.DLiveIdentity), "identity"},
	{"DLiveChatWrite", string(scopes.DLiveChatWrite), "chat:write"},
	{"DLiveChestWrite", string(scopes.DLiveChestWrite), "chest:write"},
	{"DLiveCommentWrite", string(scopes.DLiveCommentWrite), "comment:write"},
	{"DLiveEmailRead", string(scopes.DLiveEmailRead), "email:read"},
	{"DLiveEmoteRead", string(scopes.DLiveEmoteRead), "emote:read"},
	{"DLiveEmoteWrite", string(scopes.DLiveEmoteWrite), "emote:write"},
	{"DLiveLanguageRead", string(scopes.DLiveLanguageRead), "language:read"},
	{"DLiveModerationRead", string(scopes.DLiveModerationRead), "moderation:read"},
	{"DLiveModerationWrite", string(scopes.DLiveModerationWrite), "moderation:write"},
	{"DLiveRelationshipRead", string(scopes.DLiveRelationshipRead), "relationship:read"},
	{"DLiveRelationshipWrite", string(scopes.DLiveRelationshipWrite), "relationship:write"},
	{"DLiveStreamkeyRead", string(scopes.DLiveStreamkeyRead), "streamkey:read"},
	{"DLiveStreamkeyWrite", string(scopes.DLiveStreamkeyWrite), "streamkey:write"},
	{"DLiveStreamtemplateRead", string(scopes.DLiveStreamtemplateRead), "streamtemplate:read"},
	{"DLiveStreamtemplateWrite", string(scopes.DLiveStreamtemplateWrite), "streamtemplate:write"},
	{"DLiveSubscriptionRead", string(scopes.DLiveSubscriptionRead), "subscription:read"},
	{"DLiveSubsettingWrite", string(scopes.DLiveSubsettingWrite), "subsetting:write"},
	{"DLivePanelWrite", string(scopes.DLivePanelWrite), "panel:write"},
	{"DLiveWatchingRead", string(scopes.DLiveWatchingRead), "watching:read"},

	{"StreamdiverOpenID", string(scopes.StreamdiverOpenID), "openid"},
	{"StreamdiverEmail", string(scopes.StreamdiverEmail), "email"},
	{"StreamdiverProfile", string(scopes.StreamdiverProfile), "profile"},
}

// identifier returns the constant name for scope under the naming rule:
// provider, then the scope in CamelCase without its separators. openid is
// the one exception, spelt OpenID after Go's initialism convention.
func identifier(provider, scope string) string {
	if scope == "openid" {
		return provider + "OpenID"
	}
	var b strings.Builder
	b.WriteString(provider)
	for _, w := range strings.FieldsFunc(scope, func(r rune) bool { return r == '.' || r == ':' }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// all returns every documented scope of every provider as
// (Go provider prefix, scope) pairs.
func all() [][2]string {
	var out [][2]string
	add := func(prefix string, s []string) {
		for _, x := range s {
			out = append(out, [2]string{prefix, x})
		}
	}
	add("Livepush", strs(scopes.All[scopes.Livepush]()))
	add("Livestorm", strs(scopes.All[scopes.Livestorm]()))
	add("DLive", strs(scopes.All[scopes.DLive]()))
	add("Streamdiver", strs(scopes.All[scopes.Streamdiver]()))
	return out
}

func strs[S ~string](s []S) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

func TestConstants(t *testing.T) {
	byName := make(map[string]string)
	for _, c := range constants {
		if c.value != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.value, c.want)
		}
		byName[c.name] = c.value
	}

	// Every documented scope has exactly one constant, named by the rule.
	seen := make(map[string]int)
	for _, ps := range all() {
		name := identifier(ps[0], ps[1])
		seen[name]++
		v, ok := byName[name]
		if !ok {
			t.Errorf("%s %q: no constant %s", ps[0], ps[1], name)
			continue
		}
		if v != ps[1] {
			t.Errorf("%s = %q, but All has %q under that name", name, v, ps[1])
		}
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s appears %d times in All", name, n)
		}
	}
	for _, c := range constants {
		if seen[c.name] == 0 {
			t.Errorf("constant %s is not in All", c.name)
		}
	}
}

func TestAll(t *testing.T) {
	for _, tt := range []struct {
		provider string
		got      []string
		want     int
	}{
		{"livepush", strs(scopes.All[scopes.Livepush]()), 16},
		{"livestorm", strs(scopes.All[scopes.Livestorm]()), 10},
		{"dlive", strs(scopes.All[scopes.DLive]()), 20},
		{"streamdiver", strs(scopes.All[scopes.Streamdiver]()), 3},
	} {
		if len(tt.got) != tt.want {
			t.Errorf("%s: len(All) = %d, want %d", tt.provider, len(tt.got), tt.want)
		}
	}

	// The documentation order.
	want := []scopes.Livestorm{
		scopes.LivestormFullRead, scopes.LivestormFullWrite,
		scopes.LivestormIdentityRead, scopes.LivestormIdentityWrite,
		scopes.LivestormEventsRead, scopes.LivestormEventsWrite,
		scopes.LivestormAdminRead, scopes.LivestormAdminWrite,
		scopes.LivestormWebhooksRead, scopes.LivestormWebhooksWrite,
	}
	if diff := cmp.Diff(want, scopes.All[scopes.Livestorm]()); diff != "" {
		t.Errorf("All[Livestorm] mismatch (-want +got):\n%s", diff)
	}

	// All hands out a fresh slice each time.
	a := scopes.All[scopes.DLive]()
	a[0] = "tampered"
	if got := scopes.All[scopes.DLive]()[0]; got != scopes.DLiveIdentity {
		t.Errorf("All[DLive][0] = %q after modifying an earlier result, want %q", got, scopes.DLiveIdentity)
	}
}

func TestProviderAndDelimiter(t *testing.T) {
	type pd struct{ Provider, Delimiter string }
	got := []pd{
		{scopes.Provider[scopes.Livepush](), scopes.Delimiter[scopes.Livepush]()},
		{scopes.Provider[scopes.Livestorm](), scopes.Delimiter[scopes.Livestorm]()},
		{scopes.Provider[scopes.DLive](), scopes.Delimiter[scopes.DLive]()},
		{scopes.Provider[scopes.Streamdiver](), scopes.Delimiter[scopes.Streamdiver]()},
	}
	want := []pd{{"livepush", ","}, {"livestorm", " "}, {"dlive", " "}, {"streamdiver", " "}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Provider, Delimiter mismatch (-want +got):\n%s", diff)
	}
}

func TestDescribe(t *testing.T) {
	type desc struct {
		Text string
		OK   bool
	}
	d := func(s string, ok bool) desc { return desc{s, ok} }
	got := []desc{
		d(scopes.Describe(scopes.LivepushStreamsCreate)),
		d(scopes.Describe(scopes.LivestormEventsRead)),
		d(scopes.Describe(scopes.DLiveWatchingRead)),
		d(scopes.Describe(scopes.StreamdiverEmail)),
		d(scopes.Describe(scopes.Livepush("streams.admin"))),
		d(scopes.Describe(scopes.DLive("phone:read"))),
		d(scopes.Describe(scopes.Streamdiver(""))),
	}
	want := []desc{
		{"Create or deploy new streams", true},
		{"Read events, sessions and participants (/events, /sessions, /people)", true},
		{"Read which streamers the user is watching", true},
		{"Access to the email and email_verified claims", true},
		{"", false},
		{"", false},
		{"", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Describe mismatch (-want +got):\n%s", diff)
	}

	// Every documented scope has a description.
	describedAll[scopes.Livepush](t)
	describedAll[scopes.Livestorm](t)
	describedAll[scopes.DLive](t)
	describedAll[scopes.Streamdiver](t)
}

func describedAll[S scopes.Scope](t *testing.T) {
	t.Helper()
	for _, s := range scopes.All[S]() {
		if d, ok := scopes.Describe(s); !ok || d == "" {
			t.Errorf("%s: Describe(%q) = %q, %t; want a description", scopes.Provider[S](), s, d, ok)
		}
	}
}

// validateCase is a Validate test case; err is the sentinel the error must
// wrap (nil for success), and text, if set, the exact error text.
type validateCase[S scopes.Scope] struct {
	name string
	in   []S
	err  error
	text string
}

func runValidate[S scopes.Scope](t *testing.T, tests []validateCase[S]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(scopes.Provider[S]()+"/"+tt.name, func(t *testing.T) {
			err := scopes.Validate(tt.in...)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("Validate(%q) = %v, want an error wrapping %v", tt.in, err, tt.err)
			}
			if tt.text != "" {
				if diff := cmp.Diff(tt.text, err.Error()); diff != "" {
					t.Errorf("Validate(%q) error text mismatch (-want +got):\n%s", tt.in, diff)
				}
			}
			if err != nil && !strings.HasPrefix(err.Error(), "scopes: "+scopes.Provider[S]()+": ") {
				t.Errorf("Validate(%q) = %q, want the prefix naming the provider", tt.in, err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	runValidate(t, []validateCase[scopes.Livepush]{
		{name: "one", in: []scopes.Livepush{scopes.LivepushProfileRead}},
		{name: "all", in: scopes.All[scopes.Livepush]()},
		{name: "duplicate", in: []scopes.Livepush{scopes.LivepushStreamsRead, scopes.LivepushStreamsRead}},
		{name: "none", in: nil, err: scopes.ErrNoScopes,
			text: "scopes: livepush: at least one scope is required"},
		{name: "unknown", in: []scopes.Livepush{scopes.LivepushStreamsRead, "streams.admin"}, err: scopes.ErrUnknown,
			text: `scopes: livepush: unknown scope "streams.admin" (documented: profile.read, profile.write, subscriptions.read, auth.modify, billing.read, teams.read, teams.write, regions.read, streams.read, streams.write, streams.create, streams.delete, streams.videos.read, streams.videos.write, streams.destinations.read, streams.destinations.write)`},
		{name: "Livestorm spelling", in: []scopes.Livepush{"streams:read"}, err: scopes.ErrUnknown},
		{name: "empty value", in: []scopes.Livepush{""}, err: scopes.ErrUnknown},
	})

	runValidate(t, []validateCase[scopes.Livestorm]{
		{name: "one", in: []scopes.Livestorm{scopes.LivestormEventsRead}},
		{name: "individual", in: []scopes.Livestorm{scopes.LivestormIdentityRead, scopes.LivestormEventsWrite, scopes.LivestormAdminRead, scopes.LivestormWebhooksWrite}},
		{name: "read and write", in: []scopes.Livestorm{scopes.LivestormEventsRead, scopes.LivestormEventsWrite}},
		{name: "full:write alone", in: []scopes.Livestorm{scopes.LivestormFullWrite}},
		{name: "full:write twice", in: []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormFullWrite}},
		{name: "full:read alone", in: []scopes.Livestorm{scopes.LivestormFullRead}},
		{name: "full:read with writes", in: []scopes.Livestorm{scopes.LivestormFullRead, scopes.LivestormIdentityWrite, scopes.LivestormEventsWrite, scopes.LivestormAdminWrite, scopes.LivestormWebhooksWrite}},
		{name: "full:read twice with write", in: []scopes.Livestorm{scopes.LivestormEventsWrite, scopes.LivestormFullRead, scopes.LivestormFullRead}},
		{name: "none", in: []scopes.Livestorm{}, err: scopes.ErrNoScopes,
			text: "scopes: livestorm: at least one scope is required"},
		{name: "unknown", in: []scopes.Livestorm{"events:delete", "events:read", "identity"}, err: scopes.ErrUnknown,
			text: `scopes: livestorm: unknown scope "events:delete", "identity" (documented: full:read, full:write, identity:read, identity:write, events:read, events:write, admin:read, admin:write, webhooks:read, webhooks:write)`},
		{name: "unknown repeated", in: []scopes.Livestorm{"x", "x"}, err: scopes.ErrUnknown,
			text: `scopes: livestorm: unknown scope "x" (documented: full:read, full:write, identity:read, identity:write, events:read, events:write, admin:read, admin:write, webhooks:read, webhooks:write)`},
		{name: "unknown before exclusive", in: []scopes.Livestorm{scopes.LivestormFullWrite, "x"}, err: scopes.ErrUnknown},
		{name: "full:write with read", in: []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormEventsRead}, err: scopes.ErrExclusive,
			text: `scopes: livestorm: "full:write" must be the only scope, got [full:write events:read]`},
		{name: "full:write after write", in: []scopes.Livestorm{scopes.LivestormWebhooksWrite, scopes.LivestormFullWrite}, err: scopes.ErrExclusive,
			text: `scopes: livestorm: "full:write" must be the only scope, got [webhooks:write full:write]`},
		{name: "exclusive before conflict", in: []scopes.Livestorm{scopes.LivestormFullRead, scopes.LivestormFullWrite}, err: scopes.ErrExclusive},
		{name: "full:read with read", in: []scopes.Livestorm{scopes.LivestormFullRead, scopes.LivestormEventsRead}, err: scopes.ErrConflict,
			text: `scopes: livestorm: "full:read" may be combined only with individual write scopes, got [full:read events:read]`},
		{name: "full:read with writes and a read", in: []scopes.Livestorm{scopes.LivestormEventsWrite, scopes.LivestormFullRead, scopes.LivestormAdminRead}, err: scopes.ErrConflict},
	})

	runValidate(t, []validateCase[scopes.DLive]{
		{name: "identity", in: []scopes.DLive{scopes.DLiveIdentity}},
		{name: "all", in: scopes.All[scopes.DLive]()},
		{name: "none", in: nil, err: scopes.ErrNoScopes,
			text: "scopes: dlive: at least one scope is required"},
		{name: "phone:read", in: []scopes.DLive{scopes.DLiveIdentity, "phone:read"}, err: scopes.ErrUnknown},
		{name: "identity:read", in: []scopes.DLive{"identity:read"}, err: scopes.ErrUnknown},
	})

	runValidate(t, []validateCase[scopes.Streamdiver]{
		{name: "none", in: nil},
		{name: "email profile", in: []scopes.Streamdiver{scopes.StreamdiverEmail, scopes.StreamdiverProfile}},
		{name: "openid", in: []scopes.Streamdiver{scopes.StreamdiverOpenID}},
		{name: "offline_access", in: []scopes.Streamdiver{"offline_access"}, err: scopes.ErrUnknown,
			text: `scopes: streamdiver: unknown scope "offline_access" (documented: openid, email, profile)`},
	})
}

func TestJoin(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  string
		want string
	}{
		{"livepush", scopes.Join(scopes.LivepushProfileRead, scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate),
			"profile.read,streams.read,streams.create"},
		{"livepush one", scopes.Join(scopes.LivepushStreamsCreate), "streams.create"},
		{"livepush none", scopes.Join[scopes.Livepush](), ""},
		{"livepush dedupe", scopes.Join(scopes.LivepushStreamsRead, scopes.LivepushProfileRead, scopes.LivepushStreamsRead),
			"streams.read,profile.read"},
		{"livestorm", scopes.Join(scopes.LivestormIdentityRead, scopes.LivestormEventsWrite, scopes.LivestormAdminRead, scopes.LivestormWebhooksWrite),
			"identity:read events:write admin:read webhooks:write"},
		{"livestorm dedupe", scopes.Join(scopes.LivestormEventsRead, scopes.LivestormEventsRead, scopes.LivestormEventsRead), "events:read"},
		{"dlive", scopes.Join(scopes.DLiveIdentity, scopes.DLiveChatWrite), "identity chat:write"},
		{"dlive none", scopes.Join[scopes.DLive](), ""},
		{"streamdiver", scopes.Join(scopes.StreamdiverEmail, scopes.StreamdiverProfile, scopes.StreamdiverEmail), "email profile"},
		{"unchecked", scopes.Join[scopes.DLive]("identity", "phone:read"), "identity phone:read"},
	} {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s: Join mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

type parseCase[S scopes.Scope] struct {
	in      string
	want    []S
	unknown bool   // whether the error must wrap ErrUnknown
	text    string // exact error text, if set
}

func runParse[S scopes.Scope](t *testing.T, tests []parseCase[S]) {
	t.Helper()
	for _, tt := range tests {
		got, err := scopes.Parse[S](tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Parse(%q) mismatch (-want +got):\n%s", scopes.Provider[S](), tt.in, diff)
		}
		switch {
		case tt.unknown && !errors.Is(err, scopes.ErrUnknown):
			t.Errorf("%s: Parse(%q) error = %v, want one wrapping ErrUnknown", scopes.Provider[S](), tt.in, err)
		case !tt.unknown && err != nil:
			t.Errorf("%s: Parse(%q) error = %v, want nil", scopes.Provider[S](), tt.in, err)
		case tt.text != "" && err != nil:
			if diff := cmp.Diff(tt.text, err.Error()); diff != "" {
				t.Errorf("%s: Parse(%q) error text mismatch (-want +got):\n%s", scopes.Provider[S](), tt.in, diff)
			}
		}
	}
}

func TestParse(t *testing.T) {
	runParse(t, []parseCase[scopes.Livepush]{
		{in: "profile.read,streams.read,streams.write,streams.create,streams.destinations.write", want: []scopes.Livepush{
			scopes.LivepushProfileRead, scopes.LivepushStreamsRead, scopes.LivepushStreamsWrite,
			scopes.LivepushStreamsCreate, scopes.LivepushStreamsDestinationsWrite}},
		{in: "streams.create", want: []scopes.Livepush{scopes.LivepushStreamsCreate}},
		{in: "streams.read streams.create", want: []scopes.Livepush{scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate}},
		{in: ",streams.read,, streams.create ,streams.read,", want: []scopes.Livepush{scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate}},
		{in: "", want: nil},
		{in: " , \t,\n", want: nil},
		{in: "streams.read,streams.admin,streams.admin", want: []scopes.Livepush{scopes.LivepushStreamsRead}, unknown: true,
			text: `scopes: livepush: unknown scope "streams.admin" (documented: profile.read, profile.write, subscriptions.read, auth.modify, billing.read, teams.read, teams.write, regions.read, streams.read, streams.write, streams.create, streams.delete, streams.videos.read, streams.videos.write, streams.destinations.read, streams.destinations.write)`},
	})
	runParse(t, []parseCase[scopes.Livestorm]{
		{in: "identity:read events:read webhooks:read webhooks:write", want: []scopes.Livestorm{
			scopes.LivestormIdentityRead, scopes.LivestormEventsRead, scopes.LivestormWebhooksRead, scopes.LivestormWebhooksWrite}},
		{in: "events:write  events:read\tevents:write", want: []scopes.Livestorm{scopes.LivestormEventsWrite, scopes.LivestormEventsRead}},
		{in: "full:write", want: []scopes.Livestorm{scopes.LivestormFullWrite}},
		// Parse reports what was granted; combination rules are Validate's.
		{in: "full:write events:read", want: []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormEventsRead}},
		{in: "public", want: nil, unknown: true},
		{in: "Events:Read", want: nil, unknown: true},
	})
	runParse(t, []parseCase[scopes.DLive]{
		{in: "identity", want: []scopes.DLive{scopes.DLiveIdentity}},
		{in: "streamkey:read", want: []scopes.DLive{scopes.DLiveStreamkeyRead}},
		{in: "identity,chat:write email:read", want: []scopes.DLive{scopes.DLiveIdentity, scopes.DLiveChatWrite, scopes.DLiveEmailRead}},
		{in: "   ", want: nil},
		{in: "identity phone:read chat:write identity:read", want: []scopes.DLive{scopes.DLiveIdentity, scopes.DLiveChatWrite}, unknown: true,
			text: `scopes: dlive: unknown scope "phone:read", "identity:read" (documented: identity, chat:write, chest:write, comment:write, email:read, emote:read, emote:write, language:read, moderation:read, moderation:write, relationship:read, relationship:write, streamkey:read, streamkey:write, streamtemplate:read, streamtemplate:write, subscription:read, subsetting:write, panel:write, watching:read)`},
	})
	runParse(t, []parseCase[scopes.Streamdiver]{
		{in: "email profile", want: []scopes.Streamdiver{scopes.StreamdiverEmail, scopes.StreamdiverProfile}},
		{in: "openid email profile", want: []scopes.Streamdiver{scopes.StreamdiverOpenID, scopes.StreamdiverEmail, scopes.StreamdiverProfile}},
		{in: "", want: nil},
		{in: "openid offline_access profile email", want: []scopes.Streamdiver{scopes.StreamdiverOpenID, scopes.StreamdiverProfile, scopes.StreamdiverEmail}, unknown: true,
			text: `scopes: streamdiver: unknown scope "offline_access" (documented: openid, email, profile)`},
	})
}

func TestCovers(t *testing.T) {
	type (
		ls = scopes.Livestorm
		dl = scopes.DLive
	)
	var (
		fullRead  = scopes.LivestormFullRead
		fullWrite = scopes.LivestormFullWrite
		identityR = scopes.LivestormIdentityRead
		identityW = scopes.LivestormIdentityWrite
		eventsR   = scopes.LivestormEventsRead
		eventsW   = scopes.LivestormEventsWrite
		adminR    = scopes.LivestormAdminRead
		adminW    = scopes.LivestormAdminWrite
		webhooksR = scopes.LivestormWebhooksRead
		webhooksW = scopes.LivestormWebhooksWrite
		allStorm  = scopes.All[ls]()
		readStorm = []ls{fullRead, identityR, eventsR, adminR, webhooksR}
	)

	// Livestorm: the full implication relation, checked pair by pair.
	implies := map[[2]ls]bool{}
	for _, s := range allStorm {
		implies[[2]ls{s, s}] = true         // a scope covers itself
		implies[[2]ls{fullWrite, s}] = true // full:write covers everything
	}
	for _, r := range readStorm {
		implies[[2]ls{fullRead, r}] = true // full:read covers every read scope
	}
	for _, p := range [][2]ls{{identityW, identityR}, {eventsW, eventsR}, {adminW, adminR}, {webhooksW, webhooksR}} {
		implies[p] = true // x:write covers x:read
	}
	for _, g := range allStorm {
		for _, n := range allStorm {
			want := implies[[2]ls{g, n}]
			if got := scopes.Covers([]ls{g}, n); got != want {
				t.Errorf("Covers([%s], %s) = %t, want %t", g, n, got, want)
			}
		}
	}

	for _, tt := range []struct {
		granted []ls
		need    ls
		want    bool
	}{
		{[]ls{fullRead}, eventsW, false},
		{[]ls{fullRead}, fullWrite, false},
		{[]ls{eventsW}, adminR, false},
		{[]ls{eventsR}, eventsW, false},
		{[]ls{eventsR, adminW}, eventsW, false},
		{[]ls{fullWrite}, fullRead, true},
		{[]ls{fullRead, eventsW}, eventsW, true},
		{[]ls{eventsR, webhooksW}, webhooksR, true},
		{nil, eventsR, false},
	} {
		if got := scopes.Covers(tt.granted, tt.need); got != tt.want {
			t.Errorf("Covers(%v, %s) = %t, want %t", tt.granted, tt.need, got, tt.want)
		}
	}

	// DLive: exact match only, even between read and write of one name.
	for _, g := range scopes.All[dl]() {
		for _, n := range scopes.All[dl]() {
			if got, want := scopes.Covers([]dl{g}, n), g == n; got != want {
				t.Errorf("Covers([%s], %s) = %t, want %t", g, n, got, want)
			}
		}
	}

	// Livepush and Streamdiver: exact match only.
	for _, tt := range []struct {
		got, want bool
	}{
		{scopes.Covers([]scopes.Livepush{scopes.LivepushStreamsWrite}, scopes.LivepushStreamsRead), false},
		{scopes.Covers([]scopes.Livepush{scopes.LivepushStreamsDestinationsWrite}, scopes.LivepushStreamsDestinationsRead), false},
		{scopes.Covers([]scopes.Livepush{scopes.LivepushTeamsWrite, scopes.LivepushStreamsRead}, scopes.LivepushStreamsRead), true},
		{scopes.Covers([]scopes.Streamdiver{scopes.StreamdiverOpenID}, scopes.StreamdiverProfile), false},
		{scopes.Covers([]scopes.Streamdiver{scopes.StreamdiverEmail, scopes.StreamdiverProfile}, scopes.StreamdiverProfile), true},
	} {
		if tt.got != tt.want {
			t.Errorf("Livepush/Streamdiver Covers = %t, want %t", tt.got, tt.want)
		}
	}
}

func TestMissing(t *testing.T) {
	type ls = scopes.Livestorm
	for _, tt := range []struct {
		granted, need, want []ls
	}{
		{nil, nil, nil},
		{nil, []ls{scopes.LivestormEventsRead}, []ls{scopes.LivestormEventsRead}},
		{[]ls{scopes.LivestormFullWrite}, scopes.All[ls](), nil},
		{[]ls{scopes.LivestormEventsWrite}, []ls{scopes.LivestormEventsRead, scopes.LivestormEventsWrite}, nil},
		{
			[]ls{scopes.LivestormFullRead},
			[]ls{scopes.LivestormWebhooksWrite, scopes.LivestormEventsRead, scopes.LivestormEventsWrite, scopes.LivestormWebhooksWrite},
			[]ls{scopes.LivestormWebhooksWrite, scopes.LivestormEventsWrite},
		},
	} {
		if diff := cmp.Diff(tt.want, scopes.Missing(tt.granted, tt.need)); diff != "" {
			t.Errorf("Missing(%v, %v) mismatch (-want +got):\n%s", tt.granted, tt.need, diff)
		}
	}

	got := scopes.Missing(
		[]scopes.DLive{scopes.DLiveStreamkeyWrite, scopes.DLiveIdentity},
		[]scopes.DLive{scopes.DLiveIdentity, scopes.DLiveStreamkeyRead, scopes.DLiveChatWrite})
	want := []scopes.DLive{scopes.DLiveStreamkeyRead, scopes.DLiveChatWrite}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Missing[DLive] mismatch (-want +got):\n%s", diff)
	}
}

// TestSeparatorsAbsent guards an assumption of Parse and Join: no
// documented scope contains a comma or white space.
func TestSeparatorsAbsent(t *testing.T) {
	for _, ps := range all() {
		if strings.ContainsFunc(ps[1], func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			t.Errorf("%s scope %q contains a separator", ps[0], ps[1])
		}
	}
}
