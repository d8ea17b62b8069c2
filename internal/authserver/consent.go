package authserver

import (
	"container/list"
	"fmt"
	"html/template"
	"net/http"
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

var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize {{.App}} · {{.Provider}} sandbox</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
main { max-width: 30rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 2rem; box-shadow: 0 1px 4px #0002; }
h1 { font-size: 1.3rem; margin-top: 0; }
ul { padding-left: 1.2rem; }
li { margin: .4rem 0; }
code { background: #eef0f4; padding: 0 .3rem; border-radius: 3px; }
.actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
button { font: inherit; padding: .6rem 1.4rem; border-radius: 6px; border: 1px solid #9aa3b5; background: #fff; cursor: pointer; }
button.approve { background: #2456d6; border-color: #2456d6; color: #fff; }
footer { font-size: .8rem; color: #667; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
<h1><strong id="app">{{.App}}</strong> wants to access your {{.Provider}} account</h1>
{{if .Scopes}}<p>It asks for these permissions:</p>
<ul id="scopes">{{range .Scopes}}
<li><code>{{.Name}}</code> {{.Description}}</li>{{end}}
</ul>{{else}}<p>It asks for no particular permission.</p>{{end}}
<form method="post">
<input type="hidden" name="request" value="{{.Request}}">
<div class="actions">
<button class="approve" type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</div>
</form>
<footer>onair sandbox of {{.Provider}}: no real account is involved.</footer>
</main>
</body>
</html>
`))

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
	app := p.client.Name
	if app == "" {
		app = p.client.ID
	}
	setPageHeaders(w)
	consentPage.Execute(w, struct {
		App, Provider, Request string
		Scopes                 []consentScope
	}{app, s.d.Name, p.id, shown})
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

var expiredPage = template.Must(template.New("expired").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorization request expired · {{.Provider}} sandbox</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
main { max-width: 30rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 2rem; box-shadow: 0 1px 4px #0002; }
h1 { font-size: 1.3rem; margin-top: 0; }
footer { font-size: .8rem; color: #667; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
<h1 id="title">This authorization request has expired</h1>
<p id="message">A consent page takes one answer within {{.TTL}}, and this one has expired, was already answered,
or was one of more than {{.Max}} left open. Nothing was approved or denied. Start the login again from
your application.</p>
<footer>onair sandbox of {{.Provider}}: no real account is involved.</footer>
</main>
</body>
</html>
`))

// expired answers the consent page of a request that is no longer pending.
func (s *Server) expired(w http.ResponseWriter) {
	setPageHeaders(w)
	w.WriteHeader(http.StatusBadRequest)
	expiredPage.Execute(w, struct {
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
		to := p.redirectURI + sep(p.redirectURI) + "error=access_denied&error_description=" + queryEscape("the user denied access")
		if p.state != "" {
			to += "&state=" + queryEscape(p.state)
		}
		http.Redirect(w, r, to, http.StatusFound)
	default:
		http.Error(w, "decision must be approve or deny", http.StatusBadRequest)
	}
}
