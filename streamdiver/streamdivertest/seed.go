package streamdivertest

import (
	_ "embed"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// seedJSON is a small media library of one tenant, whose records include
// those the spec's examples name, so that every operation called with the
// examples' arguments finds what it works on. It holds what the records
// say; what follows from them (the URLs of the tenant's CDN and storage,
// the files of a ready download) the fake derives as for its own.
//
//go:embed seed.json
var seedJSON []byte

// seedData is what seedJSON holds.
type seedData struct {
	Tenant      server.Tenant
	Settings    server.TenantSettings
	Designs     []server.Design
	Channels    []server.Channel
	Media       []asset
	Transcripts []transcript
	Uploads     []server.Upload
	Imports     []importJob
	Livestreams []server.Livestream
	Presets     []preset
	Downloads   []download
	Webhooks    []hook
	WebhookLogs []server.WebhookLog
}

// seedRecords is seedJSON read, once per process: sandboxes only copy
// from it.
var seedRecords = table.Seed[seedData](seedJSON)

// seed fills the store with seedJSON, under the tenant shortcode. The
// records are copied in (Table.Put copies), and changed only as copies.
func (a *api) seed(shortcode string) {
	s := seedRecords()
	a.tenant, a.settings = s.Tenant, sandbox.Clone(s.Settings)
	a.tenant.Shortcode = shortcode
	a.designs.PutAll(s.Designs, func(d server.Design) string { return d.ID })
	a.channels.PutAll(s.Channels, func(c server.Channel) string { return c.ID })
	a.transcripts.PutAll(s.Transcripts, func(t transcript) string { return t.ID })
	a.imports.PutAll(s.Imports, func(j importJob) string { return *j.ID })
	a.presets.PutAll(s.Presets, func(p preset) string { return p.ID })
	a.hooks.PutAll(s.Webhooks, func(h hook) string { return h.ID })
	a.logs.PutAll(s.WebhookLogs, func(l server.WebhookLog) string { return table.Child(l.WebhookID, l.ID) })
	for _, m := range s.Media {
		a.publish(m)
	}
	for _, u := range s.Uploads {
		if u.Status == "created" {
			u.Input = a.uploadInput(u.ID, u.FileName, *u.Type)
		}
		a.uploads.Put(u.ID, u)
	}
	for _, l := range s.Livestreams {
		if *l.Status == "live" {
			a.ingest(&l, "live", streamKey())
		}
		a.livestreams.Put(l.ID, l)
	}
	for _, d := range s.Downloads {
		if d.Status == server.DownloadStatusReady {
			d.Files = a.pack(d)
		}
		a.downloads.Put(d.ID, d)
	}
}
