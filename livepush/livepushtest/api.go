package livepushtest

import (
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

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livepush/internal/server"
)

// api is Livepush's REST API over an in-memory store that belongs to one
// user, the seeded account. Lists are bare arrays: Livepush pages nothing.
type api struct {
	mu            sync.Mutex
	account       server.Account
	subscriptions table[server.Subscription]
	invoices      table[server.Invoice]
	regions       table[server.Region]
	streams       table[server.Stream]      // Destinations empty: they live in dests
	dests         table[server.Destination] // by streamID/destinationID
	saved         table[server.Destination] // the account's saved destinations
	videos        table[server.Video]       // by streamID/videoID
	recordings    table[server.Recording]
	inspections   table[server.VideoMetadata]
	imports       table[server.VideoImport]
	teams         table[server.Team]
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
	strict := server.NewStrictHandlerWithOptions(a, nil, server.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: malformed,
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
		},
	})
	return server.HandlerWithOptions(strict, server.StdHTTPServerOptions{ErrorHandlerFunc: malformed})
}

// Account and billing.

func (a *api) GetAccount(context.Context, server.GetAccountRequestObject) (server.GetAccountResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return server.GetAccount200JSONResponse(sandbox.Clone(a.account)), nil
}

func (a *api) UpdateAccount(_ context.Context, req server.UpdateAccountRequestObject) (server.UpdateAccountResponseObject, error) {
	b := deref(req.Body)
	if b.Name != nil && strings.TrimSpace(*b.Name) == "" {
		return server.UpdateAccount422JSONResponse{UnprocessableEntityJSONResponse: invalid("name must not be empty")}, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	acc := sandbox.Clone(a.account)
	acc.Name = or(b.Name, acc.Name)
	acc.Avatar = or(b.Avatar, acc.Avatar)
	if b.Preferences != nil { // merged: preferences not sent stay as they are
		prefs := maps.Clone(deref(acc.Preferences))
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
	a.mu.Lock()
	defer a.mu.Unlock()
	return server.ListSubscriptions200JSONResponse(a.subscriptions.list("")), nil
}

func (a *api) ListInvoices(context.Context, server.ListInvoicesRequestObject) (server.ListInvoicesResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return server.ListInvoices200JSONResponse(a.invoices.list("")), nil
}

// RevokeToken revokes the token the request carries at the sandbox's
// authorization server: the next call with it answers 401.
func (a *api) RevokeToken(ctx context.Context, _ server.RevokeTokenRequestObject) (server.RevokeTokenResponseObject, error) {
	sandbox.RevokeRequestToken(ctx)
	return server.RevokeToken204Response{}, nil
}

func (a *api) ListRegions(context.Context, server.ListRegionsRequestObject) (server.ListRegionsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return server.ListRegions200JSONResponse(a.regions.list("")), nil
}

// Streams.

func (a *api) CreateStream(_ context.Context, req server.CreateStreamRequestObject) (server.CreateStreamResponseObject, error) {
	b := deref(req.Body)
	if strings.TrimSpace(b.Name) == "" {
		return server.CreateStream400JSONResponse{BadRequestJSONResponse: badRequest("name is required")}, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	zone := a.defaultRegion()
	s := server.Stream{
		ID:            newID("st_", 13),
		ChatID:        ptr(newID("mc_", 12)),
		EmbedID:       ptr(newID("em_", 12)),
		CreatedAt:     now(),
		IsDisabled:    ptr(false),
		Metadata:      server.StreamMetadata{Name: b.Name, Category: b.Category},
		Config:        server.StreamConfig{PullURLMaxRetry: ptr(5), RecordingTier: ptr("rise")},
		Zone:          server.Zone{Category: deref(zone.Category), Host: deref(zone.Host), IsPublic: deref(zone.IsPublic), IsDefault: deref(zone.IsDefault)},
		UnsafeContent: ptr(false),
		HasValidated:  ptr(false),
		StreamKey:     ptr(newID("rtmp_", 12)),
	}
	a.streams.put(s.ID, s)
	return server.CreateStream201JSONResponse{
		ID: s.ID, ChatID: s.ChatID, EmbedID: s.EmbedID, CreatedAt: s.CreatedAt,
		Metadata: s.Metadata, Config: s.Config, Destinations: []server.Destination{}, Zone: zone.ID,
		UnsafeContent: s.UnsafeContent, HasValidated: s.HasValidated, StreamKey: s.StreamKey,
	}, nil
}

// defaultRegion is where new streams go, as Livepush "deploys" them to a
// default zone.
func (a *api) defaultRegion() server.Region {
	regions := a.regions.list("")
	i := slices.IndexFunc(regions, func(r server.Region) bool { return deref(r.IsDefault) })
	return regions[max(i, 0)] // the seed has regions, and none is ever removed
}

func (a *api) ListStreams(context.Context, server.ListStreamsRequestObject) (server.ListStreamsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	streams := a.streams.list("")
	for i := range streams {
		streams[i] = a.withDestinations(streams[i])
	}
	return server.ListStreams200JSONResponse(streams), nil
}

func (a *api) GetStream(_ context.Context, req server.GetStreamRequestObject) (server.GetStreamResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.streams.get(req.StreamID)
	if !ok {
		return server.GetStream404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.GetStream200JSONResponse(a.withDestinations(s)), nil
}

func (a *api) UpdateStream(_ context.Context, req server.UpdateStreamRequestObject) (server.UpdateStreamResponseObject, error) {
	b := deref(req.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.streams.get(req.StreamID)
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
	a.streams.put(s.ID, s)
	return server.UpdateStream200JSONResponse(a.withDestinations(s)), nil
}

// DeleteStream deletes the stream with its destinations and videos.
// Recordings outlive it, as recordings of a past stream do.
func (a *api) DeleteStream(_ context.Context, req server.DeleteStreamRequestObject) (server.DeleteStreamResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.streams.delete(req.StreamID) {
		return server.DeleteStream404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	a.dests.deletePrefix(child(req.StreamID, ""))
	a.videos.deletePrefix(child(req.StreamID, ""))
	return server.DeleteStream204Response{}, nil
}

// withDestinations returns s as reads answer it, with its destinations.
func (a *api) withDestinations(s server.Stream) server.Stream {
	s.Destinations = a.dests.list(child(s.ID, ""))
	return s
}

// Destinations.

func (a *api) ListSavedDestinations(context.Context, server.ListSavedDestinationsRequestObject) (server.ListSavedDestinationsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return server.ListSavedDestinations200JSONResponse(a.saved.list("")), nil
}

func (a *api) ListStreamDestinations(_ context.Context, req server.ListStreamDestinationsRequestObject) (server.ListStreamDestinationsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.streams.has(req.StreamID) {
		return server.ListStreamDestinations404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.ListStreamDestinations200JSONResponse(a.dests.list(child(req.StreamID, ""))), nil
}

func (a *api) CreateDestination(_ context.Context, req server.CreateDestinationRequestObject) (server.CreateDestinationResponseObject, error) {
	b := deref(req.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.streams.has(req.StreamID) {
		return server.CreateDestination404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if b.AppName == "custom" && (deref(b.RTMPBase) == "" || deref(b.StreamKey) == "") {
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
		RTMPBase:   or(b.RTMPBase, platformRTMP(b.AppName)),
		UpdatedAt:  ptr(now()),
		IsPinned:   ptr(false),
		IsDisabled: ptr(deref(b.IsDisabled)),
	}
	a.dests.put(child(req.StreamID, d.ID), d)
	return server.CreateDestination201JSONResponse(d), nil
}

func (a *api) UpdateDestination(_ context.Context, req server.UpdateDestinationRequestObject) (server.UpdateDestinationResponseObject, error) {
	b := deref(req.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	d, missing := a.destination(req.StreamID, req.DestinationID)
	if missing != "" {
		return server.UpdateDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	if msg := checkRTMP(b.RTMPBase); msg != "" {
		return server.UpdateDestination422JSONResponse{UnprocessableEntityJSONResponse: invalid(msg)}, nil
	}
	d.Label = or(b.Label, d.Label)
	d.RTMPBase = or(b.RTMPBase, d.RTMPBase)
	d.IsDisabled = or(b.IsDisabled, d.IsDisabled)
	d.UpdatedAt = ptr(now())
	a.dests.put(child(req.StreamID, d.ID), d)
	return server.UpdateDestination200JSONResponse(d), nil
}

func (a *api) DeleteDestination(_ context.Context, req server.DeleteDestinationRequestObject) (server.DeleteDestinationResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, missing := a.destination(req.StreamID, req.DestinationID); missing != "" {
		return server.DeleteDestination404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	a.dests.delete(child(req.StreamID, req.DestinationID))
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
	a.mu.Lock()
	defer a.mu.Unlock()
	d, missing := a.destination(streamID, destID)
	if missing == "" {
		d.IsDisabled, d.UpdatedAt = ptr(disabled), ptr(now())
		a.dests.put(child(streamID, destID), d)
	}
	return missing
}

// destination looks up a stream's destination. When either is missing it
// returns which one, as the 404's message names it.
func (a *api) destination(streamID, destID string) (server.Destination, string) {
	if !a.streams.has(streamID) {
		return server.Destination{}, "Stream"
	}
	d, ok := a.dests.get(child(streamID, destID))
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
		return ptr("rtmp://a.rtmp.youtube.com/live2")
	case "facebook":
		return ptr("rtmps://live-api-s.facebook.com:443/rtmp/")
	case "twitch":
		return ptr("rtmp://live.twitch.tv/app")
	}
	return nil
}

// Videos, imports and recordings.

func (a *api) ListVideos(_ context.Context, req server.ListVideosRequestObject) (server.ListVideosResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.streams.has(req.StreamID) {
		return server.ListVideos404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	return server.ListVideos200JSONResponse(a.videos.list(child(req.StreamID, ""))), nil
}

// UploadVideo adds the video queued: Livepush fetches and transcodes it
// later, which the fake never does.
func (a *api) UploadVideo(_ context.Context, req server.UploadVideoRequestObject) (server.UploadVideoResponseObject, error) {
	b := deref(req.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.streams.has(req.StreamID) {
		return server.UploadVideo404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if u, err := url.Parse(b.Source.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return server.UploadVideo422JSONResponse{UnprocessableEntityJSONResponse: invalid("source.url must be an http or https URL")}, nil
	}
	id := newID("vid_", 12)
	v := server.Video{
		ID:          id,
		Name:        &b.Name,
		Status:      ptr(server.VideoStatusQueued),
		PlaybackURL: ptr("https://cdn.example.com/videos/" + id + "/index.m3u8"),
		CreatedAt:   ptr(now()),
	}
	a.videos.put(child(req.StreamID, id), v)
	return server.UploadVideo200JSONResponse(v), nil
}

func (a *api) DeleteVideo(_ context.Context, req server.DeleteVideoRequestObject) (server.DeleteVideoResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.streams.has(req.StreamID) {
		return server.DeleteVideo404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	if !a.videos.delete(child(req.StreamID, req.VideoID)) {
		return server.DeleteVideo404JSONResponse{NotFoundJSONResponse: notFound("Video")}, nil
	}
	return server.DeleteVideo204Response{}, nil
}

// InspectVideoMetadata makes up the metadata of the video at the URL
// without fetching it: the container from the file name, the rest from a
// hash of the URL, so that the same URL always reads the same.
func (a *api) InspectVideoMetadata(_ context.Context, req server.InspectVideoMetadataRequestObject) (server.InspectVideoMetadataResponseObject, error) {
	b := deref(req.Body)
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
		Duration:   ptr(float64(seconds)),
		Size:       ptr(int64(seconds) * 2_350_000), // about 18 Mbit/s
		Container:  &container,
		VideoCodec: ptr("h264"),
		AudioCodec: ptr("aac"),
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inspections.put(m.ID, m)
	return server.InspectVideoMetadata200JSONResponse(m), nil
}

// CreateVideoTransfer queues an import of an inspected video. Imports stay
// queued: the fake never runs them.
func (a *api) CreateVideoTransfer(_ context.Context, req server.CreateVideoTransferRequestObject) (server.CreateVideoTransferResponseObject, error) {
	b := deref(req.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.inspections.has(b.MetadataID) {
		return server.CreateVideoTransfer404JSONResponse{NotFoundJSONResponse: notFound("Metadata")}, nil
	}
	if !a.streams.has(b.StreamID) {
		return server.CreateVideoTransfer404JSONResponse{NotFoundJSONResponse: notFound("Stream")}, nil
	}
	imp := server.VideoImport{ID: newID("tr_", 12), Status: "queued", Progress: ptr(0.0), CreatedAt: ptr(now())}
	a.imports.put(imp.ID, imp)
	return server.CreateVideoTransfer201JSONResponse(imp), nil
}

// ListQueuedVideoImports lists the imports not yet finished.
func (a *api) ListQueuedVideoImports(context.Context, server.ListQueuedVideoImportsRequestObject) (server.ListQueuedVideoImportsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	queued := slices.DeleteFunc(a.imports.list(""), func(i server.VideoImport) bool {
		return i.Status != "queued" && i.Status != "processing"
	})
	return server.ListQueuedVideoImports200JSONResponse(queued), nil
}

func (a *api) ListRecordings(context.Context, server.ListRecordingsRequestObject) (server.ListRecordingsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return server.ListRecordings200JSONResponse(a.recordings.list("")), nil
}

// Teams.

func (a *api) ListTeams(context.Context, server.ListTeamsRequestObject) (server.ListTeamsResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	teams := a.teams.list("")
	for i := range teams {
		teams[i] = a.withRole(teams[i])
	}
	return server.ListTeams200JSONResponse(teams), nil
}

// AddTeamMember adds the user with the email to the team. Adding a member
// again changes their role, as a repeated invitation would.
func (a *api) AddTeamMember(_ context.Context, req server.AddTeamMemberRequestObject) (server.AddTeamMemberResponseObject, error) {
	b := deref(req.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.teams.get(req.TeamID)
	if !ok {
		return server.AddTeamMember404JSONResponse{NotFoundJSONResponse: notFound("Team")}, nil
	}
	members := deref(t.Members)
	i := slices.IndexFunc(members, func(m server.TeamMember) bool { return deref(m.Email) == b.Email })
	if i < 0 {
		members = append(members, a.user(b.Email))
		i = len(members) - 1
	}
	members[i].Role = or(b.Role, or(members[i].Role, ptr("member")))
	t.Members = &members
	a.teams.put(t.ID, t)
	return server.AddTeamMember201JSONResponse(members[i]), nil
}

func (a *api) RemoveTeamMember(_ context.Context, req server.RemoveTeamMemberRequestObject) (server.RemoveTeamMemberResponseObject, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.teams.get(req.TeamID)
	if !ok {
		return server.RemoveTeamMember404JSONResponse{NotFoundJSONResponse: notFound("Team")}, nil
	}
	members := deref(t.Members)
	n := len(members)
	members = slices.DeleteFunc(members, func(m server.TeamMember) bool { return m.ID == req.MemberID })
	if len(members) == n {
		return server.RemoveTeamMember404JSONResponse{NotFoundJSONResponse: notFound("Member")}, nil
	}
	t.Members = &members
	a.teams.put(t.ID, t)
	return server.RemoveTeamMember204Response{}, nil
}

// withRole sets the team's role to the account's role in it.
func (a *api) withRole(t server.Team) server.Team {
	t.Role = nil
	for _, m := range deref(t.Members) {
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
	for _, t := range a.teams.list("") {
		known = append(known, deref(t.Members)...)
	}
	for _, m := range known {
		if deref(m.Email) == email {
			return server.TeamMember{ID: m.ID, Email: &email, Name: m.Name}
		}
	}
	return server.TeamMember{ID: newID("", 13), Email: &email}
}

// The store.

// table holds records by key, in the order they were added. It copies
// records in and out, so that no answer shares memory with the store.
// A record that belongs to another has the key child(parent, id).
type table[T any] struct {
	keys []string
	rows map[string]T
}

func child(parent, id string) string { return parent + "/" + id }

func (t *table[T]) put(key string, v T) {
	if t.rows == nil {
		t.rows = map[string]T{}
	}
	if _, ok := t.rows[key]; !ok {
		t.keys = append(t.keys, key)
	}
	t.rows[key] = sandbox.Clone(v)
}

func (t *table[T]) has(key string) bool {
	_, ok := t.rows[key]
	return ok
}

func (t *table[T]) get(key string) (T, bool) {
	v, ok := t.rows[key]
	return sandbox.Clone(v), ok
}

func (t *table[T]) delete(key string) bool {
	if !t.has(key) {
		return false
	}
	delete(t.rows, key)
	t.keys = slices.DeleteFunc(t.keys, func(k string) bool { return k == key })
	return true
}

func (t *table[T]) deletePrefix(prefix string) {
	t.keys = slices.DeleteFunc(t.keys, func(k string) bool {
		if !strings.HasPrefix(k, prefix) {
			return false
		}
		delete(t.rows, k)
		return true
	})
}

// list returns the records whose keys start with prefix, oldest first;
// never nil, as an empty list is [] in JSON.
func (t *table[T]) list(prefix string) []T {
	out := []T{}
	for _, k := range t.keys {
		if strings.HasPrefix(k, prefix) {
			out = append(out, sandbox.Clone(t.rows[k]))
		}
	}
	return out
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

func ptr[T any](v T) *T { return &v }

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// or returns p, or def when p is nil: a field of a partial update.
func or[T any](p, def *T) *T {
	if p == nil {
		return def
	}
	return p
}
