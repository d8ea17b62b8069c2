package streamdivertest

import (
	"fmt"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// seed fills the store with a small media library of one tenant, whose
// records include those the spec's examples name, so that every operation
// called with the examples' arguments finds what it works on.
func (a *api) seed(shortcode string) {
	id := func(n int) string { return fmt.Sprintf("6f1c2a9e-0000-4000-8000-%012x", n) }
	at := func(s string) *time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return &t
	}
	var (
		demo      = "e4742100-8750-4ee8-b788-f7366d07a737"
		library   = id(0x16) // the default channel of new assets
		talks     = id(0x17)
		keynote   = id(0x01)
		podcast   = id(0x02)
		panel     = id(0x0c)
		floorPlan = id(0x10)
		guide     = id(0x11)
		rehearsal = id(0x14)
		demoDay   = id(0x1b)
	)

	a.tenant = server.Tenant{ID: id(0x0a), Shortcode: shortcode, Name: "Demo Media GmbH"}
	a.settings = server.TenantSettings{
		TranscriptLanguageCodes: &[]string{"de-v2", "en-v2", "translate-en-v2"},
		DuplicateCheckEnabled:   onair.Ptr(true),
		DefaultDownloadExpiry:   onair.Ptr("P14D"),
		PublicPortalEnabled:     onair.Ptr(false),
		MainDesignIDs:           &server.MainDesignIDs{Channel: onair.Ptr(id(0x0e)), Player: onair.Ptr(id(0x09))},
	}

	for _, d := range []server.Design{
		{ID: id(0x09), Name: onair.Ptr("Main player"), Type: server.DesignTypePlayer, IsMain: onair.Ptr(true), IsTemplate: onair.Ptr(false),
			Properties: &map[string]any{"primaryColor": "#0055a4"}, CreatedAt: at("2024-01-10T08:00:00Z")},
		{ID: id(0x0e), Name: onair.Ptr("Main channel page"), Type: server.DesignTypeChannel, IsMain: onair.Ptr(true), IsTemplate: onair.Ptr(false),
			Properties: &map[string]any{"primaryColor": "#0055a4", "logo": "logo.svg"}, CreatedAt: at("2024-01-10T08:05:00Z")},
		{ID: id(0x0f), Name: onair.Ptr("Transcript report"), Type: server.DesignTypeDOCXExport, IsMain: onair.Ptr(false), IsTemplate: onair.Ptr(false),
			Properties: &map[string]any{"font": "Source Sans 3"}, CreatedAt: at("2024-02-02T10:00:00Z")},
		{ID: id(0x1a), Name: onair.Ptr("Demo day player"), Type: server.DesignTypePlayer, IsMain: onair.Ptr(false), IsTemplate: onair.Ptr(true),
			Properties: &map[string]any{"primaryColor": "#111111", "controls": "minimal"}, CreatedAt: at("2024-03-01T09:00:00Z")},
	} {
		a.designs.Put(d.ID, d)
	}

	for _, c := range []server.Channel{
		{ID: demo, Name: "Demo", Description: onair.Ptr("Recordings of the spring conference."), Type: server.ChannelTypeGroup,
			Visibility: server.ChannelVisibilityShared, MemberCount: onair.Ptr(3), CreatedAt: at("2024-05-01T12:00:00Z")},
		{ID: library, Name: "My media", Type: server.ChannelTypeUser, Visibility: server.ChannelVisibilityPrivate,
			MemberCount: onair.Ptr(1), CreatedAt: at("2024-01-10T08:00:00Z")},
		{ID: talks, Name: "Public talks", Description: onair.Ptr("Talks anyone may watch."), Type: server.ChannelTypeGroup,
			Visibility: server.ChannelVisibilityPublic, MemberCount: onair.Ptr(5), DesignID: onair.Ptr(id(0x0e)), CreatedAt: at("2024-03-18T15:30:00Z")},
	} {
		a.channels.Put(c.ID, c)
	}

	media := func(m server.Media, keywords, entities []map[string]any) {
		base := cdn + "/" + a.tenant.Shortcode + "/" + m.ID
		if m.Type == server.MediaTypeVideo || m.Type == server.MediaTypeAudio {
			m.PlaylistURL = onair.Ptr(base + "/playlist.m3u8")
		}
		n := 0
		if m.Type != server.MediaTypeAudio {
			m.ThumbnailURL, n = onair.Ptr(base+"/thumbnail.jpg"), 1
		}
		m.Status = onair.Ptr(cmpOr(table.Deref(m.Status), "ready"))
		a.media.Put(m.ID, asset{Media: m, Keywords: keywords, Entities: entities, Thumbnails: n})
	}
	media(server.Media{ID: keynote, Name: "Keynote 2024", Description: onair.Ptr("Opening keynote of the spring conference."),
		Type: server.MediaTypeVideo, Duration: onair.Ptr(float32(1834.5)), FileSize: onair.Ptr(int64(734003200)),
		Tags: &[]string{"conference", "keynote"}, ChannelIDs: &[]string{demo},
		CreatedAt: at("2024-05-14T09:30:00Z"), UpdatedAt: at("2024-05-14T10:02:11Z")},
		[]map[string]any{{"value": "Streaming"}, {"value": "Video archive"}, {"value": "Search"}},
		[]map[string]any{{"value": "Vienna", "type": "location"}, {"value": "Demo Media", "type": "organization"}})
	media(server.Media{ID: demoDay, Name: "Demo day: keynote highlights", Description: onair.Ptr("Ten minutes of the keynote for the demo day."),
		Type: server.MediaTypeVideo, Duration: onair.Ptr(float32(612)), FileSize: onair.Ptr(int64(245366784)),
		Tags: &[]string{"conference", "keynote", "highlights"}, ChannelIDs: &[]string{demo, talks},
		CreatedAt: at("2024-05-16T08:00:00Z"), UpdatedAt: at("2024-05-16T08:21:05Z")},
		[]map[string]any{{"value": "Highlights"}}, nil)
	media(server.Media{ID: panel, Name: "Panel: Live video in the newsroom", Description: onair.Ptr("Editors on going live within minutes."),
		Type: server.MediaTypeVideo, Duration: onair.Ptr(float32(2710)), FileSize: onair.Ptr(int64(1288490188)),
		Tags: &[]string{"conference", "panel"}, ChannelIDs: &[]string{demo, talks},
		CreatedAt: at("2024-05-14T14:00:00Z"), UpdatedAt: at("2024-05-14T15:12:40Z")},
		[]map[string]any{{"value": "Newsroom"}, {"value": "Encoder"}},
		[]map[string]any{{"value": "Graz", "type": "location"}})
	media(server.Media{ID: podcast, Name: "Product podcast, episode 12", Description: onair.Ptr("What is new in search and transcripts."),
		Type: server.MediaTypeAudio, Duration: onair.Ptr(float32(1560)), FileSize: onair.Ptr(int64(37440000)),
		Tags: &[]string{"podcast"}, ChannelIDs: &[]string{library},
		CreatedAt: at("2024-04-02T08:15:00Z"), UpdatedAt: at("2024-04-02T08:40:00Z")},
		[]map[string]any{{"value": "Transcripts"}}, nil)
	media(server.Media{ID: floorPlan, Name: "Conference floor plan", Type: server.MediaTypeImage, FileSize: onair.Ptr(int64(2457600)),
		Tags: &[]string{"conference"}, ChannelIDs: &[]string{demo},
		CreatedAt: at("2024-05-10T11:00:00Z"), UpdatedAt: at("2024-05-10T11:00:30Z")}, nil, nil)
	media(server.Media{ID: guide, Name: "Speaker guide 2024", Description: onair.Ptr("Everything speakers need to know."),
		Type: server.MediaTypeDocument, FileSize: onair.Ptr(int64(845312)),
		Tags: &[]string{"conference", "guide"}, ChannelIDs: &[]string{demo},
		CreatedAt: at("2024-04-20T16:45:00Z"), UpdatedAt: at("2024-04-20T16:46:10Z")}, nil, nil)
	media(server.Media{ID: rehearsal, Name: "Keynote rehearsal", Description: onair.Ptr("Sound check before the keynote."),
		Type: server.MediaTypeVideo, Status: onair.Ptr("softDeleted"), Duration: onair.Ptr(float32(412)), FileSize: onair.Ptr(int64(164626432)),
		Tags: &[]string{"conference"}, ChannelIDs: &[]string{demo},
		CreatedAt: at("2024-05-13T17:00:00Z"), UpdatedAt: at("2024-05-15T09:00:00Z")}, nil, nil)

	for _, t := range []transcript{
		{server.Transcript{ID: id(0x05), LanguageCode: "de"}, keynote, []cue{
			{0, 4.2, "Speaker 1", "Willkommen zur Keynote der Frühjahrskonferenz."},
			{12.4, 31, "Speaker 1", "Wir haben dieses Jahr unser gesamtes Videoarchiv in die Cloud verlegt."},
			{95, 118.5, "Speaker 2", "Die Suche versteht jetzt, was gesagt wurde, nicht nur die Wörter."},
		}},
		{server.Transcript{ID: id(0x0d), LanguageCode: "en"}, keynote, []cue{
			{0, 4.2, "Speaker 1", "Welcome to the spring conference keynote."},
			{12.4, 31, "Speaker 1", "We moved our whole video archive to the cloud this year."},
			{95, 118.5, "Speaker 2", "Search now understands what was said, not just the words."},
		}},
		{server.Transcript{ID: id(0x1e), LanguageCode: "en"}, demoDay, []cue{
			{0, 5.5, "Speaker 1", "These are the highlights of this year's keynote."},
			{5.5, 19, "Speaker 1", "Our whole video archive now lives in the cloud, and search understands it."},
		}},
		{server.Transcript{ID: id(0x12), LanguageCode: "en"}, panel, []cue{
			{3, 9.5, "Moderator", "How does a newsroom go live within minutes?"},
			{10, 24.8, "Speaker 1", "We keep one encoder ready in every studio and a livestream registered for breaking news."},
			{25, 41.2, "Speaker 2", "Subtitles come from the transcript while we are still on air."},
		}},
		{server.Transcript{ID: id(0x13), LanguageCode: "en"}, podcast, []cue{
			{0, 6, "Host", "This is episode twelve of the product podcast."},
			{6.5, 20, "Host", "Transcripts now arrive in German and English, and search finds every spoken word."},
		}},
	} {
		a.transcripts.Put(t.ID, t)
	}

	for _, u := range []server.Upload{
		{ID: id(0x18), Status: "completed", FileName: "keynote.mp4", Type: onair.Ptr(server.UploadTypePut),
			TranscriptLanguageCodes: &[]string{"de-v2", "en-v2"}, MediaID: onair.Ptr(keynote), DuplicateMediaIDs: &[]string{},
			CreatedAt: at("2024-05-14T09:28:00Z")},
		{ID: id(0x19), Status: "completed", FileName: "panel.mp4", Type: onair.Ptr(server.UploadTypeMultipart),
			TranscriptLanguageCodes: &[]string{"en-v2"}, MediaID: onair.Ptr(panel), DuplicateMediaIDs: &[]string{},
			CreatedAt: at("2024-05-14T13:50:00Z")},
		// Created, its file not sent yet: it can still be completed or cancelled.
		{ID: id(0x03), Status: "created", FileName: "keynote-q-and-a.mp4", Type: onair.Ptr(server.UploadTypePut),
			TranscriptLanguageCodes: &[]string{"de-v2"}, CreatedAt: at("2024-05-14T11:30:00Z")},
	} {
		if u.Status == "created" {
			u.Input = &server.UploadInput{URL: onair.Ptr("https://storage-example.streamdiver.com/" + a.tenant.Shortcode + "/uploads/" +
				u.ID + "/" + u.FileName + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600")}
		}
		a.uploads.Put(u.ID, u)
	}

	// Pending, so that it can be fetched (and finish) or be cancelled.
	a.imports.Put(id(0x04), importJob{
		Import: server.Import{ID: onair.Ptr(id(0x04)), Status: "Pending", Files: []server.ImportFile{{
			URL: onair.Ptr("https://media.example.com/videos/keynote.mp4"), Name: onair.Ptr("Keynote 2024 (archive copy)"),
			Filename: onair.Ptr("keynote-archive.mp4"), Status: "Pending", ErrorMessages: &[]string{},
		}}},
		Channel:   demo,
		Languages: []string{"translate-en-v2"},
	})

	for _, l := range []server.Livestream{
		{ID: id(0x06), Name: "Spring conference live", ChannelIDs: &[]string{demo}, Source: onair.Ptr(server.LivestreamSourceRTMP),
			WithDVR: onair.Ptr(true), Status: onair.Ptr("created"), Inputs: &[]server.LivestreamInput{}, CreatedAt: at("2024-05-20T07:00:00Z")},
		{ID: id(0x15), Name: "Weekly town hall", ChannelIDs: &[]string{talks}, Source: onair.Ptr(server.LivestreamSourceRTMP),
			WithDVR: onair.Ptr(false), Status: onair.Ptr("live"), Inputs: &[]server.LivestreamInput{{
				Source: server.LivestreamSourceRTMP, URL: "rtmp://at-cdn01.streamdiver.com/live-" + a.tenant.Shortcode + "/3f9a61c0de", Primary: onair.Ptr(true),
			}},
			PlaylistURL: onair.Ptr(cdn + "/" + a.tenant.Shortcode + "/live/" + id(0x15) + "/playlist.m3u8"), CreatedAt: at("2024-05-06T09:00:00Z")},
		{ID: id(0x1c), Name: "Demo day live", ChannelIDs: &[]string{demo}, Source: onair.Ptr(server.LivestreamSourceRTMP),
			WithDVR: onair.Ptr(true), Status: onair.Ptr("stopped"), Inputs: &[]server.LivestreamInput{}, CreatedAt: at("2024-05-16T06:30:00Z")},
	} {
		a.livestreams.Put(l.ID, l)
	}

	for _, p := range []server.SearchPreset{
		{ID: id(0x07), Name: "Conference keynotes", Scope: server.SearchPresetScopeTenant,
			Query:     &map[string]any{"type": "mediaasset", "text": "keynote", "tags": []any{"conference"}},
			CreatedAt: at("2024-05-21T14:00:00Z")},
		{ID: id(0x1d), Name: "Demo day recordings", Scope: server.SearchPresetScopeTenant,
			Query:     &map[string]any{"type": "mediaasset", "channelId": demo, "assetTypes": []any{"video"}},
			CreatedAt: at("2024-05-21T14:05:00Z")},
	} {
		a.presets.Put(p.ID, preset{SearchPreset: p})
	}

	d := download{
		Download: server.Download{ID: id(0x08), Status: server.DownloadStatusPreparing, Title: onair.Ptr("Keynote package"),
			Description: onair.Ptr("Video and German subtitles of the keynote."), Expires: at("2024-06-30T23:59:59Z")},
		MediaIDs:    []string{keynote},
		Transcripts: []server.SelectedTranscript{{ID: id(0x05), Format: server.SelectedTranscriptFormatSRT}},
	}
	d.Status, d.Files = server.DownloadStatusReady, a.pack(d)
	a.downloads.Put(d.ID, d)
}
