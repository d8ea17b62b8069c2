package authserver

import (
	"cmp"
	"container/list"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"
)

// pendingAuth is an authorization request waiting on the consent page.
type pendingAuth struct {
	client      Client
	redirectURI string
	challenge   string
	scope       []string
	state       string
	id          string    // the consent page's request id
	expires     time.Time // set when the page is shown
}

// Consent pages that nobody answers (a tab closed, a script that only
// opens them) are forgotten, so that they cannot fill the memory of a
// sandbox that serves for days.
const (
	// consentTTL is how long a consent page may stay open: far longer than
	// reading a few scopes and clicking takes, and than "onair login"
	// waits for the browser by default (5 minutes).
	consentTTL = 10 * time.Minute
	// maxPending is how many consent pages may be open at once, about
	// half a kilobyte each; opening one more forgets the oldest. One user
	// at a browser, or a test suite, never has that many open.
	maxPending = 1000
)

// pendingSet is the authorization requests waiting on their consent pages,
// oldest first, so that expiry and eviction take them from the front. It
// is guarded by Server.mu.
type pendingSet struct {
	byID  map[string]*list.Element // Value: *pendingAuth
	order list.List
}

// add keeps p until it expires, is taken, or maxPending younger requests
// push it out. It first forgets the requests that expired by now.
func (ps *pendingSet) add(p *pendingAuth, now time.Time) {
	if ps.byID == nil {
		ps.byID = map[string]*list.Element{}
	}
	for e := ps.order.Front(); e != nil; e = ps.order.Front() {
		if old := e.Value.(*pendingAuth); !now.After(old.expires) && ps.order.Len() < maxPending {
			break
		}
		ps.remove(e)
	}
	ps.byID[p.id] = ps.order.PushBack(p)
}

// take removes the request with id and returns it: a page is answered
// once.
func (ps *pendingSet) take(id string) (*pendingAuth, bool) {
	e, ok := ps.byID[id]
	if !ok {
		return nil, false
	}
	ps.remove(e)
	return e.Value.(*pendingAuth), true
}

func (ps *pendingSet) remove(e *list.Element) {
	delete(ps.byID, e.Value.(*pendingAuth).id)
	ps.order.Remove(e)
}

func (ps *pendingSet) len() int { return ps.order.Len() }

// The pages the authorization endpoint shows.
//
//go:embed pages.html
var pageFiles embed.FS

var pages = template.Must(template.ParseFS(pageFiles, "pages.html"))

type consentScope struct{ Name, Description string }

// consent shows the consent page for p.
func (s *Server) consent(w http.ResponseWriter, p *pendingAuth) {
	p.id = newSecret()
	s.mu.Lock()
	now := s.now()
	p.expires = now.Add(consentTTL)
	s.pending.add(p, now)
	s.mu.Unlock()

	var shown []consentScope
	for _, sc := range p.scope {
		d := ""
		if s.d.Describe != nil {
			d = s.d.Describe(sc)
		}
		shown = append(shown, consentScope{sc, d})
	}
	setPageHeaders(w)
	pages.ExecuteTemplate(w, "consent", struct {
		App, Provider, Request string
		Scopes                 []consentScope
	}{cmp.Or(p.client.Name, p.client.ID), s.d.Name, p.id, shown})
}

// setPageHeaders sets the headers of the pages the authorization endpoint
// shows. A page says where the user came from to nobody, loads nothing
// from anywhere, and cannot be framed to trick a click.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
}

// expired answers the consent page of a request that is no longer pending.
func (s *Server) expired(w http.ResponseWriter) {
	setPageHeaders(w)
	w.WriteHeader(http.StatusBadRequest)
	pages.ExecuteTemplate(w, "expired", struct {
		Provider, TTL string
		Max           int
	}{s.d.Name, fmt.Sprintf("%d minutes", int(consentTTL.Minutes())), maxPending})
}

// decide takes the consent page's answer. A request id is good once.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	p, ok := s.pending.take(r.PostForm.Get("request"))
	expired := !ok || s.now().After(p.expires)
	s.mu.Unlock()
	w.Header().Set("Referrer-Policy", "no-referrer")
	if expired {
		s.expired(w)
		return
	}
	switch r.PostForm.Get("decision") {
	case "approve":
		s.approve(w, r, p)
	case "deny":
		redirectBack(w, r, p.redirectURI, p.state, url.Values{"error": {"access_denied"}, "error_description": {"the user denied access"}})
	default:
		http.Error(w, "decision must be approve or deny", http.StatusBadRequest)
	}
}
