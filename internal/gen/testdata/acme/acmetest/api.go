package acmetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/onair-go/onair/internal/gen/testdata/acme/internal/server"
)

// seedChannels is how many channels the seeded user has, enough for
// three pages of the spec's largest page.
const seedChannels = 120

// api is Acme's API over an in-memory list of channels. The sandbox has
// checked each request's token, scope and shape against the spec.
type api struct {
	mu       sync.Mutex
	channels []server.Channel
}

func newAPI() *api {
	a := &api{}
	for i := range seedChannels {
		a.channels = append(a.channels, server.Channel{ID: "ch_" + strconv.Itoa(i+1), Name: fmt.Sprintf("Channel %d", i+1)})
	}
	return a
}

func (a *api) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /channels", a.list)
	mux.HandleFunc("POST /channels", a.create)
	mux.HandleFunc("GET /channels/{channelId}", a.get)
	return mux
}

// list answers a page: page from 0, size items (50 when absent).
func (a *api) list(w http.ResponseWriter, r *http.Request) {
	page, size := 0, 50
	if v := r.URL.Query().Get("page"); v != "" {
		page, _ = strconv.Atoi(v) // the sandbox has checked it is an integer ≥ 0
	}
	if v := r.URL.Query().Get("size"); v != "" {
		size, _ = strconv.Atoi(v)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	out := server.ChannelList{Data: []server.Channel{}, Meta: server.PageMeta{Page: page}}
	if from := page * size; from < len(a.channels) {
		to := min(from+size, len(a.channels))
		out.Data = a.channels[from:to]
		if to < len(a.channels) {
			next := page + 1
			out.Meta.Next = &next
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) create(w http.ResponseWriter, r *http.Request) {
	var req server.CreateChannelRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	c := server.Channel{ID: "ch_" + strconv.Itoa(len(a.channels)+1), Name: req.Name}
	a.channels = append(a.channels, c)
	writeJSON(w, http.StatusCreated, c)
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("channelId")
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.channels {
		if c.ID == id {
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	writeError(w, http.StatusNotFound, "not_found", "channel "+id+" not found")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
