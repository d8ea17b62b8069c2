package dlive_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// An application asks DLive for the scopes its calls need, keeps the user's
// token, and makes typed GraphQL calls: the token's user, then every live
// stream, page by page.
func Example() {
	// A stand-in for https://graphigo.prd.dlive.tv, so that the example
	// runs; a real application leaves out WithBaseURL.
	srv := httptest.NewServer(http.HandlerFunc(exampleServer))
	defer srv.Close()

	ctx := context.Background()
	need, err := dlive.LeastPrivilege(dlive.OpUsersMe, dlive.OpLivestreamsList)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &auth.Config[scopes.DLive]{
		ClientID:     "my-app-id",
		ClientSecret: "my-app-secret",
		RedirectURL:  "https://app.example/oauth/dlive",
		Scopes:       need,
		Endpoint:     dlive.Endpoint,
	}
	consent, err := cfg.AuthCodeURL("state-4f1c")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("consent:", consent)

	// The callback exchanges the code (cfg.Exchange) and the application
	// stores the token; here, one it stored earlier. The token source
	// refreshes it when it nears expiry.
	tok := &oauth2.Token{AccessToken: "stored-access-token", RefreshToken: "stored-refresh-token",
		TokenType: "Bearer", Expiry: time.Now().Add(24 * time.Hour)}
	client, err := dlive.NewClient(cfg.TokenSource(ctx, tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	me, err := client.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", me.DisplayName)

	for s, err := range client.Livestreams.List(ctx, &dlive.LivestreamsListParams{First: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s (%d watching)\n", s.Creator.DisplayName, s.Title, s.WatchingCount)
	}
	// Output:
	// consent: https://dlive.tv/o/authorize?client_id=my-app-id&redirect_uri=https%3A%2F%2Fapp.example%2Foauth%2Fdlive&response_type=code&scope=identity&state=state-4f1c
	// signed in as OnairDemo
	// PixelPilot: Any% practice (87 watching)
	// Springer: Chill chess, !commands (41 watching)
	// nightowl: Late night lo-fi (12 watching)
}

// exampleServer answers the example's operations as DLive does: the
// token's user, and the live streams in two pages.
func exampleServer(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OperationName string `json:"operationName"`
		Variables     struct {
			After string `json:"after"`
		} `json:"variables"`
	}
	if r.Header.Get("Authorization") != "stored-access-token" || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, `{"errors":[{"message":"bad request"}]}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	stream := func(user, name, title string, watching int) string {
		return fmt.Sprintf(`{"id":"livestream:%[1]s+x","permlink":"%[1]s+x","title":%[3]q,"watchingCount":%[4]d,
			"creator":{"username":%[1]q,"displayname":%[2]q}}`, user, name, title, watching)
	}
	switch {
	case req.OperationName == "Me":
		fmt.Fprint(w, `{"data":{"me":{"username":"dlive-87654321","displayname":"OnairDemo","avatar":""}}}`)
	case req.OperationName == "Livestreams" && req.Variables.After == "":
		fmt.Fprintf(w, `{"data":{"livestreams":{"pageInfo":{"endCursor":"2","hasNextPage":true},"list":[%s,%s]}}}`,
			stream("dlive-12345678", "PixelPilot", "Any% practice", 87), stream("dlive-34567890", "Springer", "Chill chess, !commands", 41))
	case req.OperationName == "Livestreams" && req.Variables.After == "2":
		fmt.Fprintf(w, `{"data":{"livestreams":{"pageInfo":{"endCursor":"3","hasNextPage":false},"list":[%s]}}}`,
			stream("dlive-45678901", "nightowl", "Late night lo-fi", 12))
	default:
		fmt.Fprint(w, `{"data":null,"errors":[{"message":"unexpected request"}]}`)
	}
}
