package main

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// page is what a browser showed.
type page struct {
	status int
	header http.Header
	body   string
}

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// browse does what a user's browser does with an authorization URL: it
// opens the consent page and answers it with decision ("approve" or
// "deny"), then follows the redirect to the loopback redirect URL. It
// returns the consent page and the page the redirect landed on. A server
// that approves at once shows no consent page.
func browse(authURL, decision string) (consent, landing page, err error) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (page, *http.Response, error) {
		res, err := noFollow.Get(u)
		if err != nil {
			return page{}, nil, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return page{res.StatusCode, res.Header, string(b)}, res, nil
	}
	consent, res, err := get(authURL)
	if err != nil {
		return consent, landing, err
	}
	if res.StatusCode == http.StatusOK {
		m := requestField.FindStringSubmatch(consent.body)
		if m == nil {
			return consent, landing, errors.New("the consent page has no form")
		}
		form := url.Values{"request": {html.UnescapeString(m[1])}, "decision": {decision}}
		res, err = noFollow.PostForm(authURL, form)
		if err != nil {
			return consent, landing, err
		}
		res.Body.Close()
	}
	if res.StatusCode != http.StatusFound {
		return consent, landing, fmt.Errorf("the authorization server answered %d, not a redirect", res.StatusCode)
	}
	to := res.Header.Get("Location")
	if !strings.HasPrefix(to, "http://127.0.0.1:") {
		return consent, landing, fmt.Errorf("redirected to %q, not to the loopback", to)
	}
	landing, _, err = get(to)
	return consent, landing, err
}

// fakeBrowser is the test binary run by onair as $BROWSER: it answers the
// consent page with decision.
func fakeBrowser(decision, authURL string) int {
	if _, _, err := browse(authURL, decision); err != nil {
		fmt.Println("fake browser:", err)
		return 1
	}
	return 0
}
