package livepushtest

import (
	"cmp"
	"context"
	"crypto/rand"
	"hash/fnv"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

// api is Livepush's REST API over an in-memory store that belongs to one
// user, the seeded account. Lists are bare arrays: Livepush pages nothing.
type api struct {
	mu            sync.Mutex
	account       server.Account
	subscriptions table.Table[server.Subscription]
	invoices      table.Table[server.Invoice]
	regions       table.Table[server.Region]
	streams       table.Table[server.Stream]      // Destinations empty: they live in dests
	dests         table.Table[server.Destination] // by streamID/destinationID
	saved         table.Table[server.Destination] // the account's saved destinations
	videos        table.Table[server.Video]       // by streamID/videoID
	recordings    table.Table[server.Recording]
	inspections   table.Table[server.VideoMetadata]
	imports       table.Table[server.VideoImport]
	teams         table.Table[server.Team]
}

var _ server.StrictServerInterface = (*api)(nil)

// newAPI returns a fresh store holding the seed data.
func newAPI() *api {
	a := &api{}
	a.seed()
	return a
}

// handler serves the API, answering malformed requests in Livepush's
// error shape.
func (a *api) handler() http.Handler {
	malformed := func(w http.ResponseWriter, _ *http.Request, err error) {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
	}
	serialized := []server.StrictMiddlewareFunc{table.Serialize[server.StrictHandlerFunc](&a.mu)}
	strict := server.NewStrictHandlerWithOptions(a, serialized, server.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: malformed,
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		},
	})
	return server.HandlerWithOptions(strict, server.StdHTTPServerOptions{ErrorHandlerFunc: malformed})
}

// Account and billing.

func (a *api) GetAccount(context.Context, server.GetAccountRequestObject) (server.GetAccountResponseObject, error) {
	return server.GetAccount200JSONResponse(sandbox.Clone(a.account)), nil
}

func (a *api) UpdateAccount(_ context.Context, req server.UpdateAccountRequestObject) (server.UpdateAccountResponseObject, error) {
	b := table.Deref(req.Body)
	if b.Name != nil && strings.TrimSpace(*b.Name) == "" {
		return server.UpdateAccount422JSONResponse{UnprocessableEntityJSONResponse: invalid("name must not be empty")}, nil
	}
	acc := sandbox.Clone(a.account)
	acc.Name = cmp.Or(b.Name, acc.Name)
	acc.Avatar = cmp.Or(b.Avatar, acc.Avatar)
	if b.Preferences != nil { // merged: preferences not sent stay as they are
		prefs := maps.Clone(table.Deref(acc.Preferences))
		if prefs == nil {
			prefs = map[string]any{}
		}
		maps.Copy(prefs, *b.Preferences)
		acc.Preferences = &prefs
	}
	a.account = sandbox.Clone(acc)
	return server.UpdateAccount200JSONResponse(acc), nil
}

func (a *api) ListSubscriptions(context.Context, server.ListSubscriptionsRequestObject) (server.ListSubscriptionsResponseObject, error) {
	return server.ListSubscriptions200JSONResponse(a.subscriptions.List(nil)), nil
}

func (a *api) ListInvoices(context.Context, server.ListInvoicesRequestObject) (server.ListInvoicesResponseObject, error) {
	return server.ListInvoices200JSONResponse(a.invoices.List(nil)), nil
}

// RevokeToken revokes the token the request carries at the sandbox's
// authorization server: the next call with it answers 401.
func (a *api) RevokeToken(ctx context.Context, _ server.RevokeTokenRequestObject) (server.RevokeTokenResponseObject, error) {
	sandbox.RevokeRequestToken(ctx)
	return server.RevokeToken204Response{}, nil
}

func (a *api) ListRegions(context.Context, server.ListRegionsRequestObject) (server.ListRegionsResponseObject, error) {
	return server.ListRegions200JSONResponse(a.regions.List(nil)), nil
}

// Streams.

func (a *api) CreateStream(_ context.Context, req server.CreateStreamRequestObject) (server.CreateStreamResponseObject, error) {
	b := table.Deref(req.Body)
	if strings.TrimSpace(b.Name) == "" {
		return server.CreateStream400JSONResponse{BadRequestJSONResponse: badRequest("name is required")}, nil
	}
	zone := a.defaultRegion()
	s := server.Stream{
		ID:            newID("st_", 13),
		ChatID:        onair.Ptr(newID("mc_", 12)),
		EmbedID:       onair.Ptr(newID("em_", 12)),
		CreatedAt:     now(),
		IsDisabled:    onair.Ptr(false),
		Metadata:      server.StreamMetadata{Name: b.Name, Category: b.Category},
		Config:        server.StreamConfig{PullURLMaxRetry: onair.Ptr(5), RecordingTier: onair.Ptr("rise")},
		Zone:          server.Zone{Category: table.Deref(zone.Category), Host: table.Deref(zone.Host), IsPublic: table.Deref(zone.IsPublic), IsDefault: table.Deref(zone.IsDefault)},
		UnsafeContent: onair.Ptr(false),
		HasValidated:  onair.Ptr(false),
		StreamKey:     onair.Ptr(newID("rtmp_", 12)),
	}
	a.streams.Put(s.ID, s)
	return server.CreateStream201JSONResponse{
		ID: s.ID, ChatID: s.ChatID, EmbedID: s.EmbedID, CreatedAt: s.CreatedAt,
		Metadata: s.Metadata, Config: s.Config, Destinations: []server.Destination{}, Zone: zone.ID,
		UnsafeContent: s.UnsafeContent, HasValidated: s.HasValidated, StreamKey: s.StreamKey,
	}, nil
}

// defaultRegion is where new streams go, as Livepush "deploys" them to a
// default zone.
func (a *api) defaultRegion() server.Region {
	regions := a.regions.List(nil)
	i := slices.IndexFunc(regions, func(r server.Region) bool { return table.Deref(r.IsDefault) })
	return regions[max(i, 0)] // the seed has regions, and none is ever removed
}

func (a *api) ListStreams(context.Context, server.ListStreamsRequestObject) (server.ListStreamsResponseObject, error) {
	streams := a.streams.List(nil)
	for i := range streams {
		streams[i] = a.withDestinations(streams[i])
	}
	return server.ListStreams200JSONResponse(streams), nil
}

func (a *api) GetStream(_ context.Context, req server.GetStreamRequestObject) (server.GetStreamResponseObject, error) {
	s, ok := a.streams.Get(req.StreamID)
	if !ok {
		return server.GetStream404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.GetStream200JSONResponse(a.withDestinations(s)), nil
}

func (a *api) UpdateStream(_ context.Context, req server.UpdateStreamRequestObject) (server.UpdateStreamResponseObject, error) {
	b := table.Deref(req.Body)
	s, ok := a.streams.Get(req.StreamID)
	if !ok {
		return server.UpdateStream404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if b.Name != nil && strings.TrimSpace(*b.Name) == "" {
		return server.UpdateStream422JSONResponse{UnprocessableEntityJSONResponse: invalid("name must not be empty")}, nil
	}
	if b.Name != nil {
		s.Metadata.Name = *b.Name
	}
	if b.Category != nil {
		s.Metadata.Category = *b.Category
	}
	a.streams.Put(s.ID, s)
	return server.UpdateStream200JSONResponse(a.withDestinations(s)), nil
}

// DeleteStream deletes the stream with its destinations and videos.
// Recordings outlive it, as recordings of a past stream do.
func (a *api) DeleteStream(_ context.Context, req server.DeleteStreamRequestObject) (server.DeleteStreamResponseObject, error) {
	if !a.streams.Delete(req.StreamID) {
		return server.DeleteStream404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	a.dests.DeleteChildren(req.StreamID)
	a.videos.DeleteChildren(req.StreamID)
	return server.DeleteStream204Response{}, nil
}

// withDestinations returns s as reads answer it, with its destinations.
func (a *api) withDestinations(s server.Stream) server.Stream {
	s.Destinations = a.dests.Children(s.ID)
	return s
}

// Destinations.

func (a *api) ListSavedDestinations(context.Context, server.ListSavedDestinationsRequestObject) (server.ListSavedDestinationsResponseObject, error) {
	return server.ListSavedDestinations200JSONResponse(a.saved.List(nil)), nil
}

func (a *api) ListStreamDestinations(_ context.Context, req server.ListStreamDestinationsRequestObject) (server.ListStreamDestinationsResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return server.ListStreamDestinations404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.ListStreamDestinations200JSONResponse(a.dests.Children(req.StreamID)), nil
}

func (a *api) CreateDestination(_ context.Context, req server.CreateDestinationRequestObject) (server.CreateDestinationResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.streams.Has(req.StreamID) {
		return server.CreateDestination404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if b.AppName == "custom" && (table.Deref(b.RTMPBase) == "" || table.Deref(b.StreamKey) == "") {
		return server.CreateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid("rtmpBase and streamKey are required for custom RTMP")}, nil
	}
	if msg := checkRTMP(b.RTMPBase); msg != "" {
		return server.CreateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid(msg)}, nil
	}
	// The stream key is write-only: no answer carries it, so the fake
	// does not keep it.
	d := server.Destination{
		ID:         newID("pb_", 9),
		AppName:    b.AppName,
		Label:      b.Label,
		RTMPBase:   cmp.Or(b.RTMPBase, platformRTMP(b.AppName)),
		UpdatedAt:  onair.Ptr(now()),
		IsPinned:   onair.Ptr(false),
		IsDisabled: onair.Ptr(table.Deref(b.IsDisabled)),
	}
	a.dests.Put(table.Child(req.StreamID, d.ID), d)
	return server.CreateDestination201JSONResponse(d), nil
}

func (a *api) UpdateDestination(_ context.Context, req server.UpdateDestinationRequestObject) (server.UpdateDestinationResponseObject, error) {
	b := table.Deref(req.Body)
	d, missing := a.destination(req.StreamID, req.DestinationID)
	if missing != "" {
		return server.UpdateDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	if msg := checkRTMP(b.RTMPBase); msg != "" {
		return server.UpdateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid(msg)}, nil
	}
	d.Label = cmp.Or(b.Label, d.Label)
	d.RTMPBase = cmp.Or(b.RTMPBase, d.RTMPBase)
	d.IsDisabled = cmp.Or(b.IsDisabled, d.IsDisabled)
	d.UpdatedAt = onair.Ptr(now())
	a.dests.Put(table.Child(req.StreamID, d.ID), d)
	return server.UpdateDestination200JSONResponse(d), nil
}

func (a *api) DeleteDestination(_ context.Context, req server.DeleteDestinationRequestObject) (server.DeleteDestinationResponseObject, error) {
	if _, missing := a.destination(req.StreamID, req.DestinationID); missing != "" {
		return server.DeleteDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	a.dests.Delete(table.Child(req.StreamID, req.DestinationID))
	return server.DeleteDestination204Response{}, nil
}

func (a *api) EnableDestination(_ context.Context, req server.EnableDestinationRequestObject) (server.EnableDestinationResponseObject, error) {
	if missing := a.setDisabled(req.StreamID, req.DestinationID, false); missing != "" {
		return server.EnableDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	return server.EnableDestination204Response{}, nil
}

func (a *api) DisableDestination(_ context.Context, req server.DisableDestinationRequestObject) (server.DisableDestinationResponseObject, error) {
	if missing := a.setDisabled(req.StreamID, req.DestinationID, true); missing != "" {
		return server.DisableDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	return server.DisableDestination204Response{}, nil
}

// setDisabled turns a stream's destination off or on. It returns what is
// not found, or "".
func (a *api) setDisabled(streamID, destID string, disabled bool) string {
	d, missing := a.destination(streamID, destID)
	if missing == "" {
		d.IsDisabled, d.UpdatedAt = onair.Ptr(disabled), onair.Ptr(now())
		a.dests.Put(table.Child(streamID, destID), d)
	}
	return missing
}

// destination looks up a stream's destination. When either is missing it
// returns which one, as the 404's message names it.
func (a *api) destination(streamID, destID string) (server.Destination, string) {
	if !a.streams.Has(streamID) {
		return server.Destination{}, "Stream"
	}
	d, ok := a.dests.Get(table.Child(streamID, destID))
	if !ok {
		return d, "Destination"
	}
	return d, ""
}

// checkRTMP returns why base is not an RTMP server URL, or "".
func checkRTMP(base *string) string {
	if base != nil && !strings.HasPrefix(*base, "rtmp://") && !strings.HasPrefix(*base, "rtmps://") {
		return "rtmpBase must be an rtmp:// or rtmps:// URL"
	}
	return ""
}

// platformRTMP is the ingest URL of a platform Livepush logs in to, for
// destinations created without one.
func platformRTMP(appName string) *string {
	switch appName {
	case "youtube":
		return onair.Ptr("rtmp://a.rtmp.youtube.com/live2")
	case "facebook":
		return onair.Ptr("rtmps://live-api-s.facebook.com:443/rtmp/")
	case "twitch":
		return onair.Ptr("rtmp://live.twitch.tv/app")
	}
	return nil
}

// Videos, imports and recordings.

func (a *api) ListVideos(_ context.Context, req server.ListVideosRequestObject) (server.ListVideosResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return server.ListVideos404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.ListVideos200JSONResponse(a.videos.Children(req.StreamID)), nil
}

// UploadVideo adds the video queued: Livepush fetches and transcodes it
// later, which the fake never does.
func (a *api) UploadVideo(_ context.Context, req server.UploadVideoRequestObject) (server.UploadVideoResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.streams.Has(req.StreamID) {
		return server.UploadVideo404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if u, err := url.Parse(b.Source.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return server.UploadVideo422JSONResponse{UnprocessableEntityJSONResponse: invalid("source.url must be an http or https URL")}, nil
	}
	id := newID("vid_", 12)
	v := server.Video{
		ID:          id,
		Name:        &b.Name,
		Status:      onair.Ptr(server.VideoStatusQueued),
		PlaybackURL: onair.Ptr("https://cdn.example.com/videos/" + id + "/index.m3u8"),
		CreatedAt:   onair.Ptr(now()),
	}
	a.videos.Put(table.Child(req.StreamID, id), v)
	return server.UploadVideo200JSONResponse(v), nil
}

func (a *api) DeleteVideo(_ context.Context, req server.DeleteVideoRequestObject) (server.DeleteVideoResponseObject, error) {
	if !a.streams.Has(req.StreamID) {
		return server.DeleteVideo404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if !a.videos.Delete(table.Child(req.StreamID, req.VideoID)) {
		return server.DeleteVideo404JSONResponse{NotFoundJSONResponse: notFound("Video")}, nil
	}
	return server.DeleteVideo204Response{}, nil
}

// InspectVideoMetadata makes up the metadata of the video at the URL
// without fetching it: the container from the file name, the rest from a
// hash of the URL, so that the same URL always reads the same.
func (a *api) InspectVideoMetadata(_ context.Context, req server.InspectVideoMetadataRequestObject) (server.InspectVideoMetadataResponseObject, error) {
	b := table.Deref(req.Body)
	u, err := url.Parse(b.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "s3") {
		return server.InspectVideoMetadata422JSONResponse{UnprocessableEntityJSONResponse: invalid("url must be an S3 or HTTPS URL")}, nil
	}
	container := strings.ToLower(strings.TrimPrefix(path.Ext(u.Path), "."))
	if container == "" {
		container = "mp4"
	}
	h := fnv.New64a()
	h.Write([]byte(b.URL))
	seconds := 30 + h.Sum64()%7200
	m := server.VideoMetadata{
		ID:         newID("tup_", 12),
		Duration:   onair.Ptr(float64(seconds)),
		Size:       onair.Ptr(int64(seconds) * 2_350_000), // about 18 Mbit/s
		Container:  &container,
		VideoCodec: onair.Ptr("h264"),
		AudioCodec: onair.Ptr("aac"),
	}
	a.inspections.Put(m.ID, m)
	return server.InspectVideoMetadata200JSONResponse(m), nil
}

// CreateVideoTransfer queues an import of an inspected video. Imports stay
// queued: the fake never runs them.
func (a *api) CreateVideoTransfer(_ context.Context, req server.CreateVideoTransferRequestObject) (server.CreateVideoTransferResponseObject, error) {
	b := table.Deref(req.Body)
	if !a.inspections.Has(b.MetadataID) {
		return server.CreateVideoTransfer404JSONResponse{NotFoundJSONResponse: notFound("Metadata")}, nil
	}
	if !a.streams.Has(b.StreamID) {
		return server.CreateVideoTransfer404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	imp := server.VideoImport{ID: newID("tr_", 12), Status: "queued", Progress: onair.Ptr(0.0), CreatedAt: onair.Ptr(now())}
	a.imports.Put(imp.ID, imp)
	return server.CreateVideoTransfer201JSONResponse(imp), nil
}

// ListQueuedVideoImports lists the imports not yet finished.
func (a *api) ListQueuedVideoImports(context.Context, server.ListQueuedVideoImportsRequestObject) (server.ListQueuedVideoImportsResponseObject, error) {
	queued := slices.DeleteFunc(a.imports.List(nil), func(i server.VideoImport) bool {
		return i.Status != "queued" && i.Status != "processing"
	})
	return server.ListQueuedVideoImports200JSONResponse(queued), nil
}

func (a *api) ListRecordings(context.Context, server.ListRecordingsRequestObject) (server.ListRecordingsResponseObject, error) {
	return server.ListRecordings200JSONResponse(a.recordings.List(nil)), nil
}

// Teams.

func (a *api) ListTeams(context.Context, server.ListTeamsRequestObject) (server.ListTeamsResponseObject, error) {
	teams := a.teams.List(nil)
	for i := range teams {
		teams[i] = a.withRole(teams[i])
	}
	return server.ListTeams200JSONResponse(teams), nil
}

// AddTeamMember adds the user with the email to the team. Adding a member
// again changes their role, as a repeated invitation would.
func (a *api) AddTeamMember(_ context.Context, req server.AddTeamMemberRequestObject) (server.AddTeamMemberResponseObject, error) {
	b := table.Deref(req.Body)
	t, ok := a.teams.Get(req.TeamID)
	if !ok {
		return server.AddTeamMember404JSONResponse{NotFoundJSONResponse: notFound("Team")}, nil
	}
	members := table.Deref(t.Members)
	i := slices.IndexFunc(members, func(m server.TeamMember) bool { return table.Deref(m.Email) == b.Email })
	if i < 0 {
		members = append(members, a.user(b.Email))
		i = len(members) - 1
	}
	members[i].Role = cmp.Or(b.Role, cmp.Or(members[i].Role, onair.Ptr("member")))
	t.Members = &members
	a.teams.Put(t.ID, t)
	return server.AddTeamMember201JSONResponse(members[i]), nil
}

func (a *api) RemoveTeamMember(_ context.Context, req server.RemoveTeamMemberRequestObject) (server.RemoveTeamMemberResponseObject, error) {
	t, ok := a.teams.Get(req.TeamID)
	if !ok {
		return server.RemoveTeamMember404JSONResponse{NotFoundJSONResponse: notFound("Team")}, nil
	}
	members := table.Deref(t.Members)
	n := len(members)
	members = slices.DeleteFunc(members, func(m server.TeamMember) bool { return m.ID == req.MemberID })
	if len(members) == n {
		return server.RemoveTeamMember404JSONResponse{NotFoundJSONResponse: notFound("Member")}, nil
	}
	t.Members = &members
	a.teams.Put(t.ID, t)
	return server.RemoveTeamMember204Response{}, nil
}

// withRole sets the team's role to the account's role in it.
func (a *api) withRole(t server.Team) server.Team {
	t.Role = nil
	for _, m := range table.Deref(t.Members) {
		if m.ID == a.account.ID {
			t.Role = m.Role
		}
	}
	return t
}

// user returns the user with the email as a new team member: someone
// already in a team keeps their id and name; anyone else is invited
// under a new id.
func (a *api) user(email openapi_types.Email) server.TeamMember {
	known := []server.TeamMember{{ID: a.account.ID, Email: &a.account.Email, Name: a.account.Name}}
	for _, t := range a.teams.List(nil) {
		known = append(known, table.Deref(t.Members)...)
	}
	for _, m := range known {
		if table.Deref(m.Email) == email {
			return server.TeamMember{ID: m.ID, Email: &email, Name: m.Name}
		}
	}
	return server.TeamMember{ID: newID("", 13), Email: &email}
}

const idChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns prefix and n random letters and digits, the shape of
// Livepush's ids (st_4kX9mQ2pL7vRz).
func newID(prefix string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = idChars[int(b[i])%len(idChars)]
	}
	return prefix + string(b)
}

// now is the time of a write, to the millisecond as Livepush's are.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
