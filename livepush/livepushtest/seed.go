package livepushtest

import (
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
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
		Name:        onair.Ptr("Jane Doe"),
		Email:       "jane@example.com",
		Avatar:      onair.Ptr("https://cdn.example.com/avatars/janedoe.png"),
		Namespace:   onair.Ptr("nsL2BzkdFKgIYv"),
		IsDisabled:  onair.Ptr(false),
		CreatedAt:   utc(2024, 3, 18, 9, 21, 44),
		Preferences: &map[string]any{"theme": "dark"},
		BillingInfo: &server.BillingInfo{Email: email("billing@example.com"), Name: onair.Ptr("Jane Doe")},
	}

	for _, s := range []server.Subscription{
		{ID: "sub_8Kq2Lm5Rt9Xw", Plan: onair.Ptr("pro"), Status: server.SubscriptionStatusActive, Interval: onair.Ptr("month"),
			Amount: onair.Ptr(29.99), Currency: onair.Ptr("USD"), CurrentPeriodStart: onair.Ptr(utc(2025, 5, 1, 0, 0, 0)),
			CurrentPeriodEnd: onair.Ptr(utc(2025, 6, 1, 0, 0, 0)), CancelAtPeriodEnd: onair.Ptr(false), CreatedAt: onair.Ptr(utc(2024, 3, 18, 9, 30, 0))},
		{ID: "sub_2Pw6Nc8Vb3Jk", Plan: onair.Ptr("starter"), Status: server.SubscriptionStatusCanceled, Interval: onair.Ptr("month"),
			Amount: onair.Ptr(9.99), Currency: onair.Ptr("USD"), CurrentPeriodStart: onair.Ptr(utc(2024, 2, 18, 0, 0, 0)),
			CurrentPeriodEnd: onair.Ptr(utc(2024, 3, 18, 0, 0, 0)), CancelAtPeriodEnd: onair.Ptr(true), CreatedAt: onair.Ptr(utc(2024, 2, 18, 10, 2, 0))},
	} {
		a.subscriptions.Put(s.ID, s)
	}

	for _, i := range []server.Invoice{
		{ID: "inv_9Lh4Sd6Gk2Mx", Number: onair.Ptr("LP-2025-000087"), Amount: onair.Ptr(29.99), Currency: onair.Ptr("USD"),
			Status: server.InvoiceStatusPaid, CreatedAt: onair.Ptr(utc(2025, 4, 1, 0, 4, 51)),
			PDFURL: onair.Ptr("https://billing.example.com/invoices/LP-2025-000087.pdf")},
		{ID: "inv_3Tc7Wd1Fz6Qp", Number: onair.Ptr("LP-2025-000123"), Amount: onair.Ptr(29.99), Currency: onair.Ptr("USD"),
			Status: server.InvoiceStatusPaid, CreatedAt: onair.Ptr(utc(2025, 5, 1, 0, 5, 12)),
			PDFURL: onair.Ptr("https://billing.example.com/invoices/LP-2025-000123.pdf")},
	} {
		a.invoices.Put(i.ID, i)
	}

	for _, r := range []server.Region{
		{ID: "zn_6Pd2Mf8Qa", Name: onair.Ptr("US East"), Category: onair.Ptr("default"), Host: onair.Ptr("stream.livepush.io"), IsPublic: onair.Ptr(true), IsDefault: onair.Ptr(true)},
		{ID: "zn_1Rk5Tw3Hy", Name: onair.Ptr("Europe West"), Category: onair.Ptr("default"), Host: onair.Ptr("eu.stream.livepush.io"), IsPublic: onair.Ptr(true), IsDefault: onair.Ptr(false)},
		{ID: "zn_8Vb4Xc7Nm", Name: onair.Ptr("Asia Pacific"), Category: onair.Ptr("default"), Host: onair.Ptr("ap.stream.livepush.io"), IsPublic: onair.Ptr(true), IsDefault: onair.Ptr(false)},
	} {
		a.regions.Put(r.ID, r)
	}

	usEast := server.Zone{Category: "default", Host: "stream.livepush.io", IsPublic: true, IsDefault: true}
	for _, s := range []server.Stream{
		{ID: seedStreamID, ChatID: onair.Ptr("mc_7Tb2Wq9Lx4Kd"), EmbedID: onair.Ptr("em_3Vn8Rc5Jy1Hs"), CreatedAt: utc(2025, 5, 12, 14, 3, 27),
			IsDisabled: onair.Ptr(false), Metadata: server.StreamMetadata{Name: "Sunday service", Category: server.StreamCategorySimulcast},
			Config: server.StreamConfig{PullURLMaxRetry: onair.Ptr(5), RecordingTier: onair.Ptr("rise")}, Zone: usEast,
			UnsafeContent: onair.Ptr(false), HasValidated: onair.Ptr(true), StreamKey: onair.Ptr(seedStreamKey)},
		{ID: "st_9Wc3Hn6Tb1Kqy", ChatID: onair.Ptr("mc_2Jd5Xr8Pn3Gv"), EmbedID: onair.Ptr("em_6Qs1Lb4Wt9Ze"), CreatedAt: utc(2025, 5, 14, 18, 40, 5),
			IsDisabled: onair.Ptr(false), Metadata: server.StreamMetadata{Name: "Wednesday Bible study", Category: server.StreamCategorySchedule},
			Config: server.StreamConfig{PullURLMaxRetry: onair.Ptr(5), RecordingTier: onair.Ptr("rise")}, Zone: usEast,
			UnsafeContent: onair.Ptr(false), HasValidated: onair.Ptr(false), StreamKey: onair.Ptr("rtmp_7Ms2Qv5Yc8Dn")},
	} {
		a.streams.Put(s.ID, s)
	}
	a.dests.Put(table.Child(seedStreamID, seedDestID), server.Destination{ID: seedDestID, AppName: "youtube", Label: onair.Ptr("Church YouTube"),
		RTMPBase: onair.Ptr("rtmp://a.rtmp.youtube.com/live2"), IsDisabled: onair.Ptr(false), UpdatedAt: onair.Ptr(utc(2025, 5, 12, 14, 10, 2))})
	a.dests.Put(table.Child("st_9Wc3Hn6Tb1Kqy", "pb_5Fq9Zd2Rx"), server.Destination{ID: "pb_5Fq9Zd2Rx", AppName: "facebook", Label: onair.Ptr("Church Facebook page"),
		RTMPBase: onair.Ptr("rtmps://live-api-s.facebook.com:443/rtmp/"), IsDisabled: onair.Ptr(true), UpdatedAt: onair.Ptr(utc(2025, 5, 14, 18, 45, 30))})

	for _, d := range []server.Destination{
		{ID: seedDestID, AppName: "youtube", Label: onair.Ptr("Church YouTube"), RTMPBase: onair.Ptr("rtmp://a.rtmp.youtube.com/live2"),
			OAuth: &server.DestinationOAuthConfig{"connected": true}, UpdatedAt: onair.Ptr(utc(2025, 5, 12, 14, 10, 2)),
			IsPinned: onair.Ptr(true), IsDisabled: onair.Ptr(false)},
		{ID: "pb_8Mn3Jr6Ls", AppName: "custom", Label: onair.Ptr("Studio relay"), RTMPBase: onair.Ptr("rtmp://relay.example.com/live"),
			UpdatedAt: onair.Ptr(utc(2025, 4, 2, 8, 45, 10)), IsPinned: onair.Ptr(false), IsDisabled: onair.Ptr(true)},
	} {
		a.saved.Put(d.ID, d)
	}

	a.videos.Put(table.Child(seedStreamID, seedVideoID), server.Video{ID: seedVideoID, Name: onair.Ptr("Welcome loop"), Duration: onair.Ptr(94.5),
		Size: onair.Ptr(int64(48213377)), Status: onair.Ptr(server.VideoStatusReady),
		ThumbnailURL: onair.Ptr("https://cdn.example.com/videos/vid_9Qm4Tz7Lc2Hb/thumb.jpg"),
		PlaybackURL:  onair.Ptr("https://cdn.example.com/videos/vid_9Qm4Tz7Lc2Hb/index.m3u8"), CreatedAt: onair.Ptr(utc(2025, 5, 12, 14, 30, 0))})

	for _, r := range []server.Recording{
		{ID: "recLuF0EKePs", InternalID: onair.Ptr("66412f0c9b1e8a0012ab34cd"), User: onair.Ptr(seedUserID), Stream: seedStreamID,
			StreamKey: onair.Ptr(seedStreamKey), Time: utc(2025, 5, 12, 15, 0, 0), UpdatedAt: onair.Ptr(utc(2025, 5, 12, 16, 2, 11)),
			Status: onair.Ptr(server.RecordingStatusCompleted), Duration: onair.Ptr(3720.0), URL: onair.Ptr("https://cdn.example.com/recordings/recLuF0EKePs.mp4")},
		{ID: "recQ7mZ2xTb9", InternalID: onair.Ptr("6645a1d27c3f9b0012cd56ef"), User: onair.Ptr(seedUserID), Stream: "st_9Wc3Hn6Tb1Kqy",
			StreamKey: onair.Ptr("rtmp_7Ms2Qv5Yc8Dn"), Time: utc(2025, 5, 14, 19, 0, 0), UpdatedAt: onair.Ptr(utc(2025, 5, 14, 20, 1, 40)),
			Status: onair.Ptr(server.RecordingStatusQueued)},
		{ID: "recH3kV8pWn1", InternalID: onair.Ptr("663b7e019a2d4c0012ef7890"), User: onair.Ptr(seedUserID), Stream: seedStreamID,
			StreamKey: onair.Ptr(seedStreamKey), Time: utc(2025, 5, 5, 15, 0, 0), UpdatedAt: onair.Ptr(utc(2025, 5, 5, 15, 0, 9)),
			Status: onair.Ptr(server.RecordingStatusErrored)},
	} {
		a.recordings.Put(r.ID, r)
	}

	a.inspections.Put(seedMetadata, server.VideoMetadata{ID: seedMetadata, Duration: onair.Ptr(312.0), Size: onair.Ptr(int64(734003200)),
		Container: onair.Ptr("mov"), VideoCodec: onair.Ptr("h264"), AudioCodec: onair.Ptr("aac")})
	for _, i := range []server.VideoImport{
		{ID: "tr_4Bn8Kc1Vx6Rj", Status: "completed", Progress: onair.Ptr(100.0), CreatedAt: onair.Ptr(utc(2025, 5, 10, 9, 12, 0))},
		{ID: "tr_7Gf2Hk9Ld4Sa", Status: "processing", Progress: onair.Ptr(42.5), CreatedAt: onair.Ptr(utc(2025, 5, 12, 14, 40, 0))},
	} {
		a.imports.Put(i.ID, i)
	}

	jane := server.TeamMember{ID: seedUserID, Email: email("jane@example.com"), Name: onair.Ptr("Jane Doe"), Role: onair.Ptr("owner")}
	for _, t := range []server.Team{
		{ID: seedTeamID, Name: "Production crew", Members: &[]server.TeamMember{jane,
			{ID: seedMemberID, Email: email("sam@example.com"), Name: onair.Ptr("Sam Lee"), Role: onair.Ptr("member")}}},
		{ID: "tm_9Rw3Jd7Fp2Lx", Name: "Diocese media office", Members: &[]server.TeamMember{
			{ID: "Zx4Cv8Bn1Mq6P", Email: email("maria@example.com"), Name: onair.Ptr("Maria Okafor"), Role: onair.Ptr("owner")},
			{ID: seedUserID, Email: email("jane@example.com"), Name: onair.Ptr("Jane Doe"), Role: onair.Ptr("member")}}},
	} {
		a.teams.Put(t.ID, t)
	}
}

func utc(year int, month time.Month, day, hour, minute, sec int) time.Time {
	return time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
}

func email(s string) *openapi_types.Email { return onair.Ptr(openapi_types.Email(s)) }
