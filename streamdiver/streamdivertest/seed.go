package streamdivertest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

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

// seedRecords is seedJSON read, once per process: sandboxes only copy
// from it.
var seedRecords = sync.OnceValue(func() (s struct {
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
}) {
	d := json.NewDecoder(bytes.NewReader(seedJSON))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		panic(fmt.Sprintf("streamdivertest: seed.json: %v", err)) // a bug of the fake, found by any test
	}
	return s
})

// seed fills the store with seedJSON, under the tenant shortcode. The
// records are copied in (Table.Put copies), and changed only as copies.
func (a *api) seed(shortcode string) {
	s := seedRecords()
	a.tenant, a.settings = s.Tenant, sandbox.Clone(s.Settings)
	a.tenant.Shortcode = shortcode
	for _, d := range s.Designs {
		a.designs.Put(d.ID, d)
	}
	for _, c := range s.Channels {
		a.channels.Put(c.ID, c)
	}
	for _, m := range s.Media {
		a.publish(m)
	}
	for _, t := range s.Transcripts {
		a.transcripts.Put(t.ID, t)
	}
	for _, u := range s.Uploads {
		if u.Status == "created" {
			u.Input = a.uploadInput(u.ID, u.FileName, *u.Type)
		}
		a.uploads.Put(u.ID, u)
	}
	for _, j := range s.Imports {
		a.imports.Put(*j.ID, j)
	}
	for _, l := range s.Livestreams {
		if *l.Status == "live" {
			a.ingest(&l, "live", streamKey())
		}
		a.livestreams.Put(l.ID, l)
	}
	for _, p := range s.Presets {
		a.presets.Put(p.ID, p)
	}
	for _, h := range s.Webhooks {
		a.hooks.Put(h.ID, h)
	}
	for _, l := range s.WebhookLogs {
		a.logs.Put(table.Child(l.WebhookID, l.ID), l)
	}
	for _, d := range s.Downloads {
		if d.Status == server.DownloadStatusReady {
			d.Files = a.pack(d)
		}
		a.downloads.Put(d.ID, d)
	}
}
