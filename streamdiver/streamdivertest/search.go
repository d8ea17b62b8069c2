package streamdivertest

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// SearchContent finds the phrase, ignoring case, in the fields asked for
// (every field the fake has data for by default) of assets and channels,
// and ranks results by how many passages matched. Without a phrase every
// result matches the filters. Facets of assets (types, channel, speakers,
// tags, duration) leave channels out.
func (a *api) SearchContent(_ context.Context, r server.SearchContentRequestObject) (server.SearchContentResponseObject, error) {
	p := r.Params
	kind := table.Deref(p.Type)
	text := strings.TrimSpace(table.Deref(p.Text))
	type ranked struct {
		server.SearchResult
		score int
	}
	var found []ranked
	// the fields the fake has data for, in the order highlights list them
	fields := []server.SearchField{
		server.SearchFieldName, server.SearchFieldDescription, server.SearchFieldTag, server.SearchFieldTranscript,
		server.SearchFieldSpeakers, server.SearchFieldKeywords, server.SearchFieldEntities,
	}
	find := func(id string, typ, name string, values map[server.SearchField][]string) {
		var hl []server.SearchHighlight
		score := 0
		for _, f := range fields {
			if p.Fields != nil && len(*p.Fields) > 0 && !slices.Contains(*p.Fields, f) {
				continue
			}
			var frags []string
			for _, v := range values[f] {
				if s, ok := emphasize(v, text); ok {
					frags = append(frags, s)
				}
			}
			if len(frags) > 0 {
				hl = append(hl, server.SearchHighlight{Field: string(f), Fragments: frags})
				score += len(frags)
			}
		}
		if text == "" || score > 0 {
			found = append(found, ranked{server.SearchResult{ID: &id, Type: &typ, Name: name, Highlights: list(hl)}, score})
		}
	}
	facets := p.AssetTypes != nil || p.ChannelID != nil || p.Speakers != nil || p.Tags != nil || p.DurationFrom != nil || p.DurationTo != nil
	if kind != server.SearchTypeChannel {
		for _, m := range a.media.List(nil) {
			if a.selected(m, p) {
				find(m.ID, "mediaasset", m.Name, a.searchable(m))
			}
		}
	}
	if kind != server.SearchTypeMediaAsset && !facets {
		for _, c := range a.channels.List(nil) {
			find(c.ID, "channel", c.Name, map[server.SearchField][]string{
				server.SearchFieldName: {c.Name}, server.SearchFieldDescription: {table.Deref(c.Description)},
			})
		}
	}
	slices.SortStableFunc(found, func(x, y ranked) int { return y.score - x.score })
	results := make([]server.SearchResult, len(found))
	for i, f := range found {
		results[i] = f.SearchResult
	}
	data, page, err := pageOf(results, query{p.Page, p.PerPage, p.Sort, p.Filter})
	return server.SearchContent200JSONResponse{Status: success, Data: data, Pagination: page}, err
}

// selected reports whether a live asset passes a search's facets: any of
// the asset types, speakers and tags given, the channel, the durations.
func (a *api) selected(m asset, p server.SearchContentParams) bool {
	if !m.live() || (p.AssetTypes != nil && !slices.Contains(*p.AssetTypes, m.Type)) ||
		(p.ChannelID != nil && !slices.Contains(table.Deref(m.ChannelIDs), *p.ChannelID)) ||
		(p.Tags != nil && !anyOf(table.Deref(m.Tags), *p.Tags)) ||
		(p.Speakers != nil && !anyOf(a.searchable(m)[server.SearchFieldSpeakers], *p.Speakers)) {
		return false
	}
	d := m.Duration
	return (p.DurationFrom == nil && p.DurationTo == nil) ||
		(d != nil && (p.DurationFrom == nil || *d >= *p.DurationFrom) && (p.DurationTo == nil || *d <= *p.DurationTo))
}

// anyOf reports whether have has any of want.
func anyOf(have, want []string) bool {
	return slices.ContainsFunc(have, func(s string) bool { return slices.Contains(want, s) })
}

// searchable returns the text of an asset per search field.
func (a *api) searchable(m asset) map[server.SearchField][]string {
	v := map[server.SearchField][]string{
		server.SearchFieldName:        {m.Name},
		server.SearchFieldDescription: {table.Deref(m.Description)},
		server.SearchFieldTag:         table.Deref(m.Tags),
	}
	for _, t := range a.transcriptsOf(m.ID) {
		for _, c := range t.Cues {
			v[server.SearchFieldTranscript] = append(v[server.SearchFieldTranscript], c.Text)
			if c.Speaker != "" && !slices.Contains(v[server.SearchFieldSpeakers], c.Speaker) {
				v[server.SearchFieldSpeakers] = append(v[server.SearchFieldSpeakers], c.Speaker)
			}
		}
	}
	for f, extracted := range map[server.SearchField][]map[string]any{server.SearchFieldKeywords: m.Keywords, server.SearchFieldEntities: m.Entities} {
		for _, e := range extracted {
			s, _ := e["value"].(string)
			v[f] = append(v[f], s)
		}
	}
	return v
}

// emphasize marks each occurrence of phrase in s, ignoring case, as search
// highlights do, and reports whether there was one.
func emphasize(s, phrase string) (string, bool) {
	if phrase == "" {
		return s, false
	}
	lower, p := strings.ToLower(s), strings.ToLower(phrase)
	if len(lower) != len(s) { // a case change moved the bytes: mark nothing rather than the wrong bytes
		return s, strings.Contains(lower, p)
	}
	var b strings.Builder
	found := false
	for {
		i := strings.Index(lower, p)
		if i < 0 {
			break
		}
		found = true
		b.WriteString(s[:i] + "<em>" + s[i:i+len(p)] + "</em>")
		s, lower = s[i+len(p):], lower[i+len(p):]
	}
	b.WriteString(s)
	return b.String(), found
}

func (a *api) SearchSemantic(_ context.Context, r server.SearchSemanticRequestObject) (server.SearchSemanticResponseObject, error) {
	hits := a.passages(r.Params.Text, among(r.Params.AssetTypes, r.Params.ChannelID), nil, true)
	return server.SearchSemantic200JSONResponse{Status: success, Data: hits}, nil
}

func (a *api) SearchTextSemantic(_ context.Context, r server.SearchTextSemanticRequestObject) (server.SearchTextSemanticResponseObject, error) {
	hits := a.passages(r.Params.Text, among(r.Params.AssetTypes, r.Params.ChannelID), nil, false)
	return server.SearchTextSemantic200JSONResponse{Status: success, Data: hits}, nil
}

// among keeps the assets of any of types (all for none) in channel (any
// for nil).
func among(types *[]server.MediaType, channel *string) func(asset) bool {
	return func(m asset) bool {
		return (len(table.Deref(types)) == 0 || slices.Contains(*types, m.Type)) &&
			(channel == nil || slices.Contains(table.Deref(m.ChannelIDs), *channel))
	}
}

// passages ranks the transcript lines of the live assets keep keeps by how
// many of the words of text they share, the fake's stand-in for meaning:
// every line that shares one, or the best line of each asset if perAsset.
// speakers narrow the lines when given.
func (a *api) passages(text string, keep func(asset) bool, speakers []string, perAsset bool) []server.SemanticSearchHit {
	want := words(text)
	hits := []server.SemanticSearchHit{}
	for _, m := range a.media.List(nil) {
		if !m.live() || !keep(m) {
			continue
		}
		var best []server.SemanticSearchHit
		for _, t := range a.transcriptsOf(m.ID) {
			for _, c := range t.Cues {
				if len(speakers) > 0 && !slices.Contains(speakers, c.Speaker) {
					continue
				}
				have := words(c.Text)
				shared := 0
				for _, w := range want {
					if slices.Contains(have, w) {
						shared++
					}
				}
				if shared == 0 {
					continue
				}
				score := float32(math.Round(float64(shared)/float64(len(want))*100) / 100)
				h := server.SemanticSearchHit{
					MediaID: m.ID, Name: &m.Name, Score: &score, Text: onair.Ptr(c.Text),
					StartTime: onair.Ptr(float32(c.Start)), EndTime: onair.Ptr(float32(c.End)),
				}
				if !perAsset {
					hits = append(hits, h)
				} else if len(best) == 0 || *best[0].Score < score {
					best = []server.SemanticSearchHit{h}
				}
			}
		}
		hits = append(hits, best...)
	}
	slices.SortStableFunc(hits, func(x, y server.SemanticSearchHit) int { return cmp.Compare(*y.Score, *x.Score) })
	return hits
}

// words returns the distinct words of s that carry meaning, lower-cased.
func words(s string) []string {
	const stop = " the and for with that this from what was were are did does say said about our your their into has have had not just can how who why when where which "
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) > 2 && !strings.Contains(stop, " "+w+" ") && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// GetSearchRanges answers the largest duration and file size of the live
// assets, the upper bounds of the search's sliders.
func (a *api) GetSearchRanges(context.Context, server.GetSearchRangesRequestObject) (server.GetSearchRangesResponseObject, error) {
	var r server.SearchRanges
	r.DurationTo, r.FileSizeTo = onair.Ptr(float32(0)), onair.Ptr(int64(0))
	for _, m := range a.media.List(nil) {
		if m.live() {
			*r.DurationTo = max(*r.DurationTo, table.Deref(m.Duration))
			*r.FileSizeTo = max(*r.FileSizeTo, table.Deref(m.FileSize))
		}
	}
	return server.GetSearchRanges200JSONResponse{Status: success, Data: r}, nil
}

// CreateChat answers a prompt with the transcript lines that share the
// most of its words, quoting the best; the fake has no language model.
func (a *api) CreateChat(_ context.Context, r server.CreateChatRequestObject) (server.CreateChatResponseObject, error) {
	b := r.Body
	if err := cmp.Or(blank("prompt", b.Prompt), a.checkMedia("mediaIds", table.Deref(b.MediaIDs)), a.checkChannels("channelIds", table.Deref(b.ChannelIDs))); err != nil {
		return nil, err
	}
	hits := a.passages(b.Prompt, func(m asset) bool {
		return among(b.AssetTypes, nil)(m) && (b.MediaIDs == nil || slices.Contains(*b.MediaIDs, m.ID)) &&
			(b.ChannelIDs == nil || anyOf(table.Deref(m.ChannelIDs), *b.ChannelIDs))
	}, table.Deref(b.Speakers), false)
	answer := server.ChatAnswer{Answer: "Your media says nothing about that.", Context: list[server.ChatContext](nil)}
	if len(hits) > 0 {
		answer.Answer = "From “" + table.Deref(hits[0].Name) + "”: " + table.Deref(hits[0].Text)
	}
	for _, h := range hits[:min(len(hits), 3)] {
		part := server.ChatContextPart{Text: table.Deref(h.Text), Metadata: &server.ChatPartMetadata{StartTime: h.StartTime}}
		i := slices.IndexFunc(*answer.Context, func(c server.ChatContext) bool { return *c.MediaID == h.MediaID })
		if i < 0 {
			*answer.Context = append(*answer.Context, server.ChatContext{MediaID: onair.Ptr(h.MediaID)})
			i = len(*answer.Context) - 1
		}
		(*answer.Context)[i].Parts = append((*answer.Context)[i].Parts, part)
	}
	return server.CreateChat200JSONResponse{Status: success, Data: answer}, nil
}

// preset is a saved search and, for a user's own, who saved it.
type preset struct {
	server.SearchPreset
	Owner string `json:"owner,omitempty"`
}

// visibleTo reports whether who sees the preset: tenant presets are
// everyone's, user presets their owner's.
func (p preset) visibleTo(who string) bool {
	return p.Scope == server.SearchPresetScopeTenant || p.Owner == who
}

func (a *api) ListSearchPresets(ctx context.Context, r server.ListSearchPresetsRequestObject) (server.ListSearchPresetsResponseObject, error) {
	var rows []server.SearchPreset
	for _, p := range a.presets.List(nil) {
		if p.visibleTo(caller(ctx)) {
			rows = append(rows, p.SearchPreset)
		}
	}
	data, page, err := pageOf(rows, query(r.Params))
	return server.ListSearchPresets200JSONResponse{Status: success, Data: data, Pagination: page}, err
}

func (a *api) SaveSearchPreset(ctx context.Context, r server.SaveSearchPresetRequestObject) (server.SaveSearchPresetResponseObject, error) {
	p := preset{SearchPreset: server.SearchPreset{ID: uuid.NewString(), CreatedAt: a.clock()}}
	err := p.set(ctx, *r.Body)
	if err == nil {
		a.presets.Put(p.ID, p)
	}
	return server.SaveSearchPreset201JSONResponse{Status: success, Data: p.SearchPreset}, err
}

// UpdateSearchPreset replaces a preset the caller sees; another user's
// does not exist for them.
func (a *api) UpdateSearchPreset(ctx context.Context, r server.UpdateSearchPresetRequestObject) (server.UpdateSearchPresetResponseObject, error) {
	p, ok := a.presets.Get(r.PresetID)
	if !ok || !p.visibleTo(caller(ctx)) {
		return server.UpdateSearchPreset404JSONResponse{NotFoundJSONResponse: server.NotFoundJSONResponse(notFound("search preset").body())}, nil
	}
	err := p.set(ctx, *r.Body)
	if err == nil {
		a.presets.Put(p.ID, p)
	}
	return server.UpdateSearchPreset200JSONResponse{Status: success, Data: p.SearchPreset}, err
}

// set gives the preset what b says; a user preset belongs to the caller.
func (p *preset) set(ctx context.Context, b server.SearchPresetRequest) error {
	if err := blank("name", b.Name); err != nil {
		return err
	}
	p.Name, p.Scope, p.Owner = b.Name, b.Scope, ""
	if b.Query == nil {
		b.Query = map[string]any{}
	}
	p.Query = &b.Query
	if b.Scope == server.SearchPresetScopeUser {
		p.Owner = caller(ctx)
	}
	return nil
}
