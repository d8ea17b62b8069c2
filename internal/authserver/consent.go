package authserver

import (
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
	expires     time.Time
}

// consentTTL is how long a consent page may stay open.
const consentTTL = 10 * time.Minute

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
	id := newSecret()
	p.expires = s.now().Add(consentTTL)
	s.mu.Lock()
	s.pending[id] = p
	s.mu.Unlock()

	var list []consentScope
	for _, sc := range p.scope {
		d := ""
		if s.d.Describe != nil {
			d = s.d.Describe(sc)
		}
		list = append(list, consentScope{sc, d})
	}
	app := p.client.Name
	if app == "" {
		app = p.client.ID
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The page says where the user came from to nobody, loads nothing from
	// anywhere, and cannot be framed to trick a click.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	consentPage.Execute(w, struct {
		App, Provider, Request string
		Scopes                 []consentScope
	}{app, s.d.Name, id, list})
}

// decide takes the consent page's answer. A request id is good once.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed form", http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("request")
	s.mu.Lock()
	p, ok := s.pending[id]
	delete(s.pending, id)
	s.mu.Unlock()
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !ok || s.now().After(p.expires) {
		http.Error(w, "this consent page has expired or was already answered: start the login again", http.StatusBadRequest)
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
