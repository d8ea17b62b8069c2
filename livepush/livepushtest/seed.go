package livepushtest

import (
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/onair-go/onair/livepush/internal/server"
)

// The ids of the seed records that the spec's examples use, so that every
// operation called with its examples finds what it asks for.
const (
	seedUserID    = "RDHe2BXVP6d89"
	seedStreamID  = "st_4kX9mQ2pL7vRz"
	seedDestID    = "pb_2Yk7Gt4Wc"
	seedVideoID   = "vid_9Qm4Tz7Lc2Hb"
	seedTeamID    = "tm_4Hs8Kx2Nb6Vc"
	seedMemberID  = "Qw7Er9Ty2Ui4O"
	seedMetadata  = "tup_5Nx8Bq3Zr1Lm"
	seedStreamKey = "rtmp_3Fh8Kd2Lq9Wz"
)

// seed fills the store with one user's account: Jane Doe, who restreams a
// church's services and Bible study to YouTube and Facebook.
func (a *api) seed() {
	a.account = server.Account{
		ID:          seedUserID,
		Username:    "janedoe",
		Name:        ptr("Jane Doe"),
		Email:       "jane@example.com",
		Avatar:      ptr("https://cdn.example.com/avatars/janedoe.png"),
		Namespace:   ptr("nsL2BzkdFKgIYv"),
		IsDisabled:  ptr(false),
		CreatedAt:   utc(2024, 3, 18, 9, 21, 44),
		Preferences: &map[string]any{"theme": "dark"},
		BillingInfo: &server.BillingInfo{Email: email("billing@example.com"), Name: ptr("Jane Doe")},
	}

	for _, s := range []server.Subscription{
		{ID: "sub_8Kq2Lm5Rt9Xw", Plan: ptr("pro"), Status: server.SubscriptionStatusActive, Interval: ptr("month"),
			Amount: ptr(29.99), Currency: ptr("USD"), CurrentPeriodStart: ptr(utc(2025, 5, 1, 0, 0, 0)),
			CurrentPeriodEnd: ptr(utc(2025, 6, 1, 0, 0, 0)), CancelAtPeriodEnd: ptr(false), CreatedAt: ptr(utc(2024, 3, 18, 9, 30, 0))},
		{ID: "sub_2Pw6Nc8Vb3Jk", Plan: ptr("starter"), Status: server.SubscriptionStatusCanceled, Interval: ptr("month"),
			Amount: ptr(9.99), Currency: ptr("USD"), CurrentPeriodStart: ptr(utc(2024, 2, 18, 0, 0, 0)),
			CurrentPeriodEnd: ptr(utc(2024, 3, 18, 0, 0, 0)), CancelAtPeriodEnd: ptr(true), CreatedAt: ptr(utc(2024, 2, 18, 10, 2, 0))},
	} {
		a.subscriptions.put(s.ID, s)
	}

	for _, i := range []server.Invoice{
		{ID: "inv_9Lh4Sd6Gk2Mx", Number: ptr("LP-2025-000087"), Amount: ptr(29.99), Currency: ptr("USD"),
			Status: server.InvoiceStatusPaid, CreatedAt: ptr(utc(2025, 4, 1, 0, 4, 51)),
			PDFURL: ptr("https://billing.example.com/invoices/LP-2025-000087.pdf")},
		{ID: "inv_3Tc7Wd1Fz6Qp", Number: ptr("LP-2025-000123"), Amount: ptr(29.99), Currency: ptr("USD"),
			Status: server.InvoiceStatusPaid, CreatedAt: ptr(utc(2025, 5, 1, 0, 5, 12)),
			PDFURL: ptr("https://billing.example.com/invoices/LP-2025-000123.pdf")},
	} {
		a.invoices.put(i.ID, i)
	}

	for _, r := range []server.Region{
		{ID: "zn_6Pd2Mf8Qa", Name: ptr("US East"), Category: ptr("default"), Host: ptr("stream.livepush.io"), IsPublic: ptr(true), IsDefault: ptr(true)},
		{ID: "zn_1Rk5Tw3Hy", Name: ptr("Europe West"), Category: ptr("default"), Host: ptr("eu.stream.livepush.io"), IsPublic: ptr(true), IsDefault: ptr(false)},
		{ID: "zn_8Vb4Xc7Nm", Name: ptr("Asia Pacific"), Category: ptr("default"), Host: ptr("ap.stream.livepush.io"), IsPublic: ptr(true), IsDefault: ptr(false)},
	} {
		a.regions.put(r.ID, r)
	}

	usEast := server.Zone{Category: "default", Host: "stream.livepush.io", IsPublic: true, IsDefault: true}
	for _, s := range []server.Stream{
		{ID: seedStreamID, ChatID: ptr("mc_7Tb2Wq9Lx4Kd"), EmbedID: ptr("em_3Vn8Rc5Jy1Hs"), CreatedAt: utc(2025, 5, 12, 14, 3, 27),
			IsDisabled: ptr(false), Metadata: server.StreamMetadata{Name: "Sunday service", Category: server.StreamCategorySimulcast},
			Config: server.StreamConfig{PullURLMaxRetry: ptr(5), RecordingTier: ptr("rise")}, Zone: usEast,
			UnsafeContent: ptr(false), HasValidated: ptr(true), StreamKey: ptr(seedStreamKey)},
		{ID: "st_9Wc3Hn6Tb1Kqy", ChatID: ptr("mc_2Jd5Xr8Pn3Gv"), EmbedID: ptr("em_6Qs1Lb4Wt9Ze"), CreatedAt: utc(2025, 5, 14, 18, 40, 5),
			IsDisabled: ptr(false), Metadata: server.StreamMetadata{Name: "Wednesday Bible study", Category: server.StreamCategorySchedule},
			Config: server.StreamConfig{PullURLMaxRetry: ptr(5), RecordingTier: ptr("rise")}, Zone: usEast,
			UnsafeContent: ptr(false), HasValidated: ptr(false), StreamKey: ptr("rtmp_7Ms2Qv5Yc8Dn")},
	} {
		a.streams.put(s.ID, s)
	}
	a.dests.put(child(seedStreamID, seedDestID), server.Destination{ID: seedDestID, AppName: "youtube", Label: ptr("Church YouTube"),
		RTMPBase: ptr("rtmp://a.rtmp.youtube.com/live2"), IsDisabled: ptr(false), UpdatedAt: ptr(utc(2025, 5, 12, 14, 10, 2))})
	a.dests.put(child("st_9Wc3Hn6Tb1Kqy", "pb_5Fq9Zd2Rx"), server.Destination{ID: "pb_5Fq9Zd2Rx", AppName: "facebook", Label: ptr("Church Facebook page"),
		RTMPBase: ptr("rtmps://live-api-s.facebook.com:443/rtmp/"), IsDisabled: ptr(true), UpdatedAt: ptr(utc(2025, 5, 14, 18, 45, 30))})

	for _, d := range []server.Destination{
		{ID: seedDestID, AppName: "youtube", Label: ptr("Church YouTube"), RTMPBase: ptr("rtmp://a.rtmp.youtube.com/live2"),
			OAuth: &server.DestinationOAuthConfig{"connected": true}, UpdatedAt: ptr(utc(2025, 5, 12, 14, 10, 2)),
			IsPinned: ptr(true), IsDisabled: ptr(false)},
		{ID: "pb_8Mn3Jr6Ls", AppName: "custom", Label: ptr("Studio relay"), RTMPBase: ptr("rtmp://relay.example.com/live"),
			UpdatedAt: ptr(utc(2025, 4, 2, 8, 45, 10)), IsPinned: ptr(false), IsDisabled: ptr(true)},
	} {
		a.saved.put(d.ID, d)
	}

	a.videos.put(child(seedStreamID, seedVideoID), server.Video{ID: seedVideoID, Name: ptr("Welcome loop"), Duration: ptr(94.5),
		Size: ptr(int64(48213377)), Status: ptr(server.VideoStatusReady),
		ThumbnailURL: ptr("https://cdn.example.com/videos/vid_9Qm4Tz7Lc2Hb/thumb.jpg"),
		PlaybackURL:  ptr("https://cdn.example.com/videos/vid_9Qm4Tz7Lc2Hb/index.m3u8"), CreatedAt: ptr(utc(2025, 5, 12, 14, 30, 0))})

	for _, r := range []server.Recording{
		{ID: "recLuF0EKePs", InternalID: ptr("66412f0c9b1e8a0012ab34cd"), User: ptr(seedUserID), Stream: seedStreamID,
			StreamKey: ptr(seedStreamKey), Time: utc(2025, 5, 12, 15, 0, 0), UpdatedAt: ptr(utc(2025, 5, 12, 16, 2, 11)),
			Status: ptr(server.RecordingStatusCompleted), Duration: ptr(3720.0), URL: ptr("https://cdn.example.com/recordings/recLuF0EKePs.mp4")},
		{ID: "recQ7mZ2xTb9", InternalID: ptr("6645a1d27c3f9b0012cd56ef"), User: ptr(seedUserID), Stream: "st_9Wc3Hn6Tb1Kqy",
			StreamKey: ptr("rtmp_7Ms2Qv5Yc8Dn"), Time: utc(2025, 5, 14, 19, 0, 0), UpdatedAt: ptr(utc(2025, 5, 14, 20, 1, 40)),
			Status: ptr(server.RecordingStatusQueued)},
		{ID: "recH3kV8pWn1", InternalID: ptr("663b7e019a2d4c0012ef7890"), User: ptr(seedUserID), Stream: seedStreamID,
			StreamKey: ptr(seedStreamKey), Time: utc(2025, 5, 5, 15, 0, 0), UpdatedAt: ptr(utc(2025, 5, 5, 15, 0, 9)),
			Status: ptr(server.RecordingStatusErrored)},
	} {
		a.recordings.put(r.ID, r)
	}

	a.inspections.put(seedMetadata, server.VideoMetadata{ID: seedMetadata, Duration: ptr(312.0), Size: ptr(int64(734003200)),
		Container: ptr("mov"), VideoCodec: ptr("h264"), AudioCodec: ptr("aac")})
	for _, i := range []server.VideoImport{
		{ID: "tr_4Bn8Kc1Vx6Rj", Status: "completed", Progress: ptr(100.0), CreatedAt: ptr(utc(2025, 5, 10, 9, 12, 0))},
		{ID: "tr_7Gf2Hk9Ld4Sa", Status: "processing", Progress: ptr(42.5), CreatedAt: ptr(utc(2025, 5, 12, 14, 40, 0))},
	} {
		a.imports.put(i.ID, i)
	}

	jane := server.TeamMember{ID: seedUserID, Email: email("jane@example.com"), Name: ptr("Jane Doe"), Role: ptr("owner")}
	for _, t := range []server.Team{
		{ID: seedTeamID, Name: "Production crew", Members: &[]server.TeamMember{jane,
			{ID: seedMemberID, Email: email("sam@example.com"), Name: ptr("Sam Lee"), Role: ptr("member")}}},
		{ID: "tm_9Rw3Jd7Fp2Lx", Name: "Diocese media office", Members: &[]server.TeamMember{
			{ID: "Zx4Cv8Bn1Mq6P", Email: email("maria@example.com"), Name: ptr("Maria Okafor"), Role: ptr("owner")},
			{ID: seedUserID, Email: email("jane@example.com"), Name: ptr("Jane Doe"), Role: ptr("member")}}},
	} {
		a.teams.put(t.ID, t)
	}
}

func utc(year int, month time.Month, day, hour, minute, sec int) time.Time {
	return time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
}

func email(s string) *openapi_types.Email { return ptr(openapi_types.Email(s)) }
