package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// ConsentError is the error an authorization ended with at the redirect
// URL, such as access_denied.
type ConsentError struct {
	Code, Description string
}

func (e *ConsentError) Error() string {
	return "authorization failed: " + e.Code + ": " + e.Description
}

// Approve does what a user's browser does with authURL: it opens the
// authorization page, approves on the consent page (unless the server
// approves at once), and returns the code from the redirect. The state in
// the redirect must be the one in authURL.
func (s *Server) Approve(ctx context.Context, authURL string) (code string, err error) {
	return s.decide(ctx, authURL, "approve")
}

// Deny is Approve with the other button: it returns the *ConsentError
// (access_denied) the redirect carries.
func (s *Server) Deny(ctx context.Context, authURL string) error {
	_, err := s.decide(ctx, authURL, "deny")
	return err
}

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

func (s *Server) decide(ctx context.Context, authURL, decision string) (string, error) {
	au, err := url.Parse(authURL)
	if err != nil {
		return "", fmt.Errorf("sandbox: authorization URL: %w", err)
	}
	browser := *s.Client()
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", fmt.Errorf("sandbox: authorization URL: %w", err)
	}
	resp, err := browser.Do(req)
	if err != nil {
		return "", fmt.Errorf("sandbox: opening the authorization page: %w", err)
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		m := requestField.FindSubmatch(page)
		if m == nil {
			return "", errors.New("sandbox: the authorization page has no consent form")
		}
		form := url.Values{"request": {string(m[1])}, "decision": {decision}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, authURL, strings.NewReader(form.Encode()))
		if err != nil {
			return "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, err = browser.Do(req); err != nil {
			return "", fmt.Errorf("sandbox: answering the consent page: %w", err)
		}
		page, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
	}
	if resp.StatusCode != http.StatusFound {
		return "", fmt.Errorf("sandbox: the authorization server answered %d: %s", resp.StatusCode, strings.TrimSpace(string(page)))
	}
	to, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("sandbox: the authorization server's redirect: %w", err)
	}
	q, state := to.Query(), au.Query().Get("state")
	switch {
	case q.Get("state") != state:
		return "", fmt.Errorf("sandbox: the redirect carries state %q, the request sent %q", q.Get("state"), state)
	case q.Get("error") != "":
		return "", &ConsentError{Code: q.Get("error"), Description: q.Get("error_description")}
	case q.Get("code") == "":
		return "", errors.New("sandbox: the redirect carries neither a code nor an error")
	}
	return q.Get("code"), nil
}
