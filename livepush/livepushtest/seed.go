package livepushtest

import (
	_ "embed"

	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livepush/internal/server"
)

// The ids of the seed records that the spec's examples use, so that every
// operation called with its examples finds what it asks for.
const (
	seedUserID   = "RDHe2BXVP6d89"
	seedStreamID = "st_4kX9mQ2pL7vRz"
	seedDestID   = "pb_2Yk7Gt4Wc"
	seedVideoID  = "vid_9Qm4Tz7Lc2Hb"
	seedTeamID   = "tm_4Hs8Kx2Nb6Vc"
	seedMemberID = "Qw7Er9Ty2Ui4O"
	seedMetadata = "tup_5Nx8Bq3Zr1Lm"
)

// seedJSON is one user's account, in the API's own JSON: Jane Doe, who
// restreams a church's services and Bible study to YouTube and Facebook.
// Each stream holds its destinations and videos.
//
//go:embed seed.json
var seedJSON []byte

type seedData struct {
	Account       server.Account         `json:"account"`
	Subscriptions []server.Subscription  `json:"subscriptions"`
	Invoices      []server.Invoice       `json:"invoices"`
	Regions       []server.Region        `json:"regions"`
	Streams       []seedStream           `json:"streams"`
	Saved         []server.Destination   `json:"savedDestinations"`
	Recordings    []server.Recording     `json:"recordings"`
	Inspections   []server.VideoMetadata `json:"videoMetadata"`
	Imports       []server.VideoImport   `json:"videoImports"`
	Teams         []server.Team          `json:"teams"`
}

type seedStream struct {
	server.Stream
	Videos []server.Video `json:"videos"`
}

// seedRecords is seedJSON read once; the tables copy what they are given.
var seedRecords = table.Seed[seedData](seedJSON)

// seed fills the store with the seed records.
func (a *api) seed() {
	d := seedRecords()
	a.account = d.Account
	a.subscriptions.PutAll(d.Subscriptions, func(s server.Subscription) string { return s.ID })
	a.invoices.PutAll(d.Invoices, func(i server.Invoice) string { return i.ID })
	a.regions.PutAll(d.Regions, func(r server.Region) string { return r.ID })
	for _, s := range d.Streams {
		for _, dest := range s.Destinations {
			a.dests.Put(table.Child(s.ID, dest.ID), dest)
		}
		for _, v := range s.Videos {
			a.videos.Put(table.Child(s.ID, v.ID), v)
		}
		s.Destinations = nil // they live in a.dests
		a.streams.Put(s.ID, s.Stream)
	}
	a.saved.PutAll(d.Saved, func(d server.Destination) string { return d.ID })
	a.recordings.PutAll(d.Recordings, func(r server.Recording) string { return r.ID })
	a.inspections.PutAll(d.Inspections, func(m server.VideoMetadata) string { return m.ID })
	a.imports.PutAll(d.Imports, func(i server.VideoImport) string { return i.ID })
	a.teams.PutAll(d.Teams, func(t server.Team) string { return t.ID })
}
