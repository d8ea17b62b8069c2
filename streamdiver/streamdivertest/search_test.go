package streamdivertest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

func TestSearch(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	result := func(id, typ, name string, hl ...streamdiver.SearchHighlight) streamdiver.SearchResult {
		if hl == nil {
			hl = []streamdiver.SearchHighlight{}
		}
		return streamdiver.SearchResult{ID: id, Type: typ, Name: name, Highlights: hl}
	}
	tests := []struct {
		name   string
		params streamdiver.SearchContentParams
		want   []streamdiver.SearchResult
	}{
		{"ranked by matches", streamdiver.SearchContentParams{Text: "archive"}, []streamdiver.SearchResult{
			result(keynoteID, "mediaasset", "Keynote 2024",
				streamdiver.SearchHighlight{Field: "transcript", Fragments: []string{"We moved our whole video <em>archive</em> to the cloud this year."}},
				streamdiver.SearchHighlight{Field: "keywords", Fragments: []string{"Video <em>archive</em>"}}),
			result(demoDayID, "mediaasset", "Demo day: keynote highlights",
				streamdiver.SearchHighlight{Field: "transcript", Fragments: []string{"Our whole video <em>archive</em> now lives in the cloud, and search understands it."}}),
		}},
		{"in names only, with facets", streamdiver.SearchContentParams{
			Text: "keynote", Fields: []streamdiver.SearchField{"name"}, AssetTypes: []streamdiver.MediaType{"video"},
			Speakers: []string{"Speaker 1"}, DurationTo: onair.Ptr(1000.0),
		}, []streamdiver.SearchResult{
			result(demoDayID, "mediaasset", "Demo day: keynote highlights",
				streamdiver.SearchHighlight{Field: "name", Fragments: []string{"Demo day: <em>keynote</em> highlights"}}),
		}},
		{"channels", streamdiver.SearchContentParams{Type: streamdiver.SearchType("channel"), Text: "TALKS"}, []streamdiver.SearchResult{
			result(talksID, "channel", "Public talks",
				streamdiver.SearchHighlight{Field: "name", Fragments: []string{"Public <em>talks</em>"}},
				streamdiver.SearchHighlight{Field: "description", Fragments: []string{"<em>Talks</em> anyone may watch."}}),
		}},
		{"everything in a channel, by name", streamdiver.SearchContentParams{ChannelID: talksID, Sort: "name"}, []streamdiver.SearchResult{
			result(demoDayID, "mediaasset", "Demo day: keynote highlights"),
			result(panelID, "mediaasset", "Panel: Live video in the newsroom"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := all(t, c.Search.Query(ctx, &tt.params))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSemantic(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	hit := func(id, name string, score, start, end float32, text string) streamdiver.SemanticSearchHit {
		return streamdiver.SemanticSearchHit{MediaID: id, Name: name, Score: score, StartTime: &start, EndTime: &end, Text: text}
	}
	archive := hit(keynoteID, "Keynote 2024", 0.75, 12.4, 31, "We moved our whole video archive to the cloud this year.")
	demoDay := hit(demoDayID, "Demo day: keynote highlights", 0.75, 5.5, 19, "Our whole video archive now lives in the cloud, and search understands it.")
	text := "moving the video archive to the cloud"

	got := all(t, c.Search.Semantic(ctx, &streamdiver.SearchSemanticParams{Text: text}))
	if diff := cmp.Diff([]streamdiver.SemanticSearchHit{archive, demoDay}, got); diff != "" {
		t.Errorf("Semantic (-want +got):\n%s", diff)
	}
	got = all(t, c.Search.TextSemantic(ctx, &streamdiver.SearchTextSemanticParams{Text: "search words", ChannelID: demoID}))
	want := []streamdiver.SemanticSearchHit{
		hit(keynoteID, "Keynote 2024", 1, 95, 118.5, "Search now understands what was said, not just the words."),
		hit(demoDayID, "Demo day: keynote highlights", 0.5, 5.5, 19, "Our whole video archive now lives in the cloud, and search understands it."),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TextSemantic (-want +got):\n%s", diff)
	}

	ranges, err := c.Search.Ranges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&streamdiver.SearchRanges{DurationTo: float32(2710), FileSizeTo: int64(1288490188)}, ranges); diff != "" {
		t.Errorf("Ranges (-want +got):\n%s", diff)
	}
}

func TestChat(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	got, err := c.Chats.Create(ctx, streamdiver.CreateChatRequest{Prompt: "Where does the video archive live now?", ChannelIDs: []string{talksID}})
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.ChatAnswer{
		Answer: "From “Demo day: keynote highlights”: Our whole video archive now lives in the cloud, and search understands it.",
		Context: []streamdiver.ChatContext{
			{MediaID: demoDayID, Parts: []streamdiver.ChatContextPart{
				{Text: "Our whole video archive now lives in the cloud, and search understands it.", Metadata: streamdiver.ChatPartMetadata{StartTime: onair.Ptr(float32(5.5))}},
			}},
			{MediaID: panelID, Parts: []streamdiver.ChatContextPart{
				{Text: "How does a newsroom go live within minutes?", Metadata: streamdiver.ChatPartMetadata{StartTime: onair.Ptr(float32(3))}},
			}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Chats.Create (-want +got):\n%s", diff)
	}

	none, err := c.Chats.Create(ctx, streamdiver.CreateChatRequest{Prompt: "Who won the football match?"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&streamdiver.ChatAnswer{Answer: "Your media says nothing about that.", Context: []streamdiver.ChatContext{}}, none); diff != "" {
		t.Errorf("an answer from nothing (-want +got):\n%s", diff)
	}
	_, err = c.Chats.Create(ctx, streamdiver.CreateChatRequest{Prompt: "archive", MediaIDs: []string{unknownID}})
	wantError(t, err, 400, "mediaIds")
}

func TestPresetRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	saved, err := c.Search.SavePreset(ctx, streamdiver.SearchPresetRequest{Name: "Podcasts", Scope: "user", Query: map[string]any{"assetTypes": []any{"audio"}}})
	if err != nil {
		t.Fatal(err)
	}
	listed := names(all(t, c.Search.ListPresets(ctx, nil)), func(p streamdiver.SearchPreset) string { return p.Name })
	if diff := cmp.Diff([]string{"Conference keynotes", "Demo day recordings", "Podcasts"}, listed); diff != "" {
		t.Errorf("ListPresets (-want +got):\n%s", diff)
	}
	updated, err := c.Search.UpdatePreset(ctx, saved.ID, streamdiver.SearchPresetRequest{Name: "All podcasts", Scope: "tenant", Query: map[string]any{"tags": []any{"podcast"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := &streamdiver.SearchPreset{ID: saved.ID, Name: "All podcasts", Scope: "tenant", Query: map[string]any{"tags": []any{"podcast"}}, CreatedAt: saved.CreatedAt}
	if diff := cmp.Diff(want, updated); diff != "" {
		t.Errorf("UpdatePreset (-want +got):\n%s", diff)
	}
	_, err = c.Search.SavePreset(ctx, streamdiver.SearchPresetRequest{Name: " ", Scope: "user", Query: map[string]any{}})
	wantError(t, err, 400, "name")
}

// TestPresetsOfCallers shows user presets to who saved them only. A
// client-credentials token has no user: its presets are its client's
// service account's.
func TestPresetsOfCallers(t *testing.T) {
	a := newAPI()
	app := sandbox.WithGrant(context.Background(), sandbox.Grant{ClientID: "backend"})
	other := sandbox.WithGrant(context.Background(), sandbox.Grant{ClientID: "reporting"})
	person := sandbox.WithGrant(context.Background(), sandbox.Grant{ClientID: "backend", User: "anna"})

	res, _ := a.SaveSearchPreset(app, server.SaveSearchPresetRequestObject{Body: &server.SearchPresetRequest{Name: "Mine", Scope: "user", Query: map[string]any{}}})
	mine := res.(server.SaveSearchPreset201JSONResponse).Data
	visible := func(ctx context.Context) []string {
		res, _ := a.ListSearchPresets(ctx, server.ListSearchPresetsRequestObject{})
		return names(res.(server.ListSearchPresets200JSONResponse).Data, func(p server.SearchPreset) string { return p.Name })
	}
	tests := []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"the client that saved it", app, []string{"Conference keynotes", "Demo day recordings", "Mine"}},
		{"another client", other, []string{"Conference keynotes", "Demo day recordings"}},
		{"a user of the same client", person, []string{"Conference keynotes", "Demo day recordings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, visible(tt.ctx)); diff != "" {
				t.Errorf("presets (-want +got):\n%s", diff)
			}
		})
	}
	res2, _ := a.UpdateSearchPreset(other, server.UpdateSearchPresetRequestObject{PresetID: mine.ID, Body: &server.SearchPresetRequest{Name: "Stolen", Scope: "user", Query: map[string]any{}}})
	if _, ok := res2.(server.UpdateSearchPreset404JSONResponse); !ok {
		t.Errorf("another client updated the preset: %#v", res2)
	}
}
