package dlive_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/dlive"
)

// everyCall calls each method of the client once, with opts.
var everyCall = map[string]func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error{
	"Client.Me": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Me(ctx, opts...)
		return err
	},
	"Users.Me": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Users.Me(ctx, opts...)
		return err
	},
	"Users.MePrivate": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Users.MePrivate(ctx, opts...)
		return err
	},
	"Users.GetStreamKey": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Users.GetStreamKey(ctx, opts...)
		return err
	},
	"Users.Get": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Users.Get(ctx, "dlive-12345678", opts...)
		return err
	},
	"Users.GetByDisplayName": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Users.GetByDisplayName(ctx, "OnairDemo", opts...)
		return err
	},
	"Users.Search": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := collect(c.Users.Search(ctx, "pixel", nil, opts...))
		return err
	},
	"Users.SearchPage": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, _, err := c.Users.SearchPage(ctx, "pixel", nil, opts...)
		return err
	},
	"Livestreams.List": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := collect(c.Livestreams.List(ctx, nil, opts...))
		return err
	},
	"Livestreams.ListPage": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, _, err := c.Livestreams.ListPage(ctx, nil, opts...)
		return err
	},
	"Livestreams.ListFollowing": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := collect(c.Livestreams.ListFollowing(ctx, nil, opts...))
		return err
	},
	"Livestreams.ListFollowingPage": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, _, err := c.Livestreams.ListFollowingPage(ctx, nil, opts...)
		return err
	},
	"Chat.Send": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: "dlive-12345678", Message: "hi", RoomRole: dlive.RoomRoleMember}, opts...)
		return err
	},
	"Chat.Delete": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Chat.Delete(ctx, "dlive-87654321", "5f2c8a1e-8b0d-4c47-9d51-0e6a2f3b7c11", opts...)
	},
	"Chat.SetInterval": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Chat.SetInterval(ctx, 30, opts...)
	},
	"Relationships.Follow": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Relationships.Follow(ctx, "dlive-12345678", opts...)
	},
	"Relationships.Unfollow": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Relationships.Unfollow(ctx, "dlive-12345678", opts...)
	},
	"Moderation.Ban": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.Ban(ctx, "dlive-87654321", "dlive-66666666", opts...)
	},
	"Moderation.Unban": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.Unban(ctx, "dlive-87654321", "dlive-66666666", opts...)
	},
	"Moderation.RemoveModerator": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.RemoveModerator(ctx, "dlive-55555555", opts...)
	},
	"Moderation.AddModerator": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.AddModerator(ctx, "dlive-55555555", opts...)
	},
	"Moderation.Timeout": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.Timeout(ctx, "dlive-87654321", "dlive-66666666", 10, opts...)
	},
	"Moderation.AddFilterWord": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.AddFilterWord(ctx, "spoiler", opts...)
	},
	"Moderation.DeleteFilterWord": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Moderation.DeleteFilterWord(ctx, "spoiler", opts...)
	},
	"Chat.SetMode": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Chat.SetMode(ctx, dlive.ChatModeTypeSubonly, opts...)
	},
	"Chat.ClaimGiveaway": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Chat.ClaimGiveaway(ctx, "dlive-12345678", opts...)
	},
	"Livestreams.SetTemplate": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Livestreams.SetTemplate(ctx, dlive.SetStreamTemplateInput{Title: "Friday speedruns", CategoryID: 4, LanguageID: 1}, opts...)
	},
	"Livestreams.Host": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Livestreams.Host(ctx, "dlive-12345678", opts...)
		return err
	},
	"Emotes.Add": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Emotes.Add(ctx, dlive.AddEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel,
			MimeType: "image/png", URL: "https://images.prd.dlivecdn.com/emote/wave.png", Name: "onairWave"}, opts...)
		return err
	},
	"Emotes.Save": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.Emotes.Save(ctx, dlive.SaveEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel,
			MyLevel: dlive.EmoteLevelUserLevel, Name: "onairWave", Streamer: "dlive-87654321"}, opts...)
		return err
	},
	"Emotes.Delete": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		return c.Emotes.Delete(ctx, dlive.DeleteEmoteInput{Type: dlive.EmoteTypeEmote, Level: dlive.EmoteLevelChannelLevel, Name: "onairWave"}, opts...)
	},
	"GraphQL.Do": func(ctx context.Context, c *dlive.Client, opts ...onair.CallOption) error {
		_, err := c.GraphQL.Do(ctx, dlive.GraphQLRequest{OperationName: "Me", Query: "query Me { me { username displayname avatar } }"}, opts...)
		return err
	},
}

// headerLog is a transport that notes a header of every request it sends.
type headerLog struct {
	name string
	mu   sync.Mutex
	seen []string
}

func (l *headerLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.seen = append(l.seen, r.Header.Get(l.name))
	l.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// withRequestID has every answer carry X-Request-Id.
func withRequestID(answers map[string]func(map[string]any) answer, id string) map[string]func(map[string]any) answer {
	for name, f := range answers {
		answers[name] = func(vars map[string]any) answer {
			a := f(vars)
			a.header = http.Header{"X-Request-Id": {id}}
			return a
		}
	}
	return answers
}

// everyCall covers every method of every service and of the client, and
// each takes ...onair.CallOption last.
func TestEveryCallCoversTheClient(t *testing.T) {
	c, err := dlive.NewClient(tokenSource(allScopes))
	if err != nil {
		t.Fatal(err)
	}
	optsType := reflect.TypeFor[[]onair.CallOption]()
	// Subscriptions make no HTTP call: their connection outlives any one
	// call's options (subscribe_test.go covers them).
	subscriptions := map[string]bool{"Chat.Subscribe": true, "Chat.SubscribeTreasureChest": true}
	check := func(name string, m reflect.Type) {
		if subscriptions[name] {
			return
		}
		if everyCall[name] == nil {
			t.Errorf("%s is not in everyCall", name)
		}
		if !m.IsVariadic() || m.In(m.NumIn()-1) != optsType {
			t.Errorf("%s does not take ...onair.CallOption last: %v", name, m)
		}
	}
	ct := reflect.TypeOf(c)
	for i := range ct.NumMethod() {
		check("Client."+ct.Method(i).Name, ct.Method(i).Type)
	}
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		for j := range f.Type.NumMethod() {
			check(f.Name+"."+f.Type.Method(j).Name, f.Type.Method(j).Type)
		}
	}
}

// Every method sends the header WithHeader adds, on each of its requests,
// and fills in WithResponse with the answer's status and request ID.
func TestEveryMethodTakesCallOptions(t *testing.T) {
	for name, call := range everyCall {
		t.Run(name, func(t *testing.T) {
			srv := newFakeDLive(t, withRequestID(defaultAnswers(), "req-"+name))
			log := &headerLog{name: "X-Trace"}
			c, err := dlive.NewClient(tokenSource(allScopes), dlive.WithBaseURL(srv.URL), dlive.WithHTTPClient(&http.Client{Transport: log}))
			if err != nil {
				t.Fatal(err)
			}
			var res onair.Response
			if err := call(context.Background(), c, onair.WithHeader("X-Trace", "t-1"), onair.WithResponse(&res)); err != nil {
				t.Fatal(err)
			}
			if len(log.seen) == 0 {
				t.Fatal("no request")
			}
			for i, v := range log.seen {
				if v != "t-1" {
					t.Errorf("request %d: X-Trace = %q, want t-1", i, v)
				}
			}
			if res.StatusCode != http.StatusOK || res.RequestID != "req-"+name || res.Header.Get("X-Request-Id") != "req-"+name {
				t.Errorf("Response = %d, request %q, header %v; want 200 and req-%s", res.StatusCode, res.RequestID, res.Header, name)
			}
			// Without options nothing is added.
			log.seen = nil
			if err := call(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			for i, v := range log.seen {
				if v != "" {
					t.Errorf("without options, request %d: X-Trace = %q", i, v)
				}
			}
		})
	}
}

// WithResponse is filled in for a refused call too: a GraphQL error in a
// 200, and a 401.
func TestResponseOfAFailedCall(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `{"data":{"follow":{"err":{"code":4001,"message":"already following"}}}}`},
		{401, `{"data":null,"errors":[{"message":"invalid access token"}]}`},
	} {
		answers := defaultAnswers()
		answers["Follow"] = func(map[string]any) answer {
			return answer{status: tc.status, header: http.Header{"X-Request-Id": {"req-9"}}, body: tc.body}
		}
		srv := newFakeDLive(t, answers)
		var res onair.Response
		err := newClient(t, srv, allScopes).Relationships.Follow(context.Background(), "dlive-12345678", onair.WithResponse(&res))
		var de *dlive.Error
		if !errors.As(err, &de) {
			t.Fatalf("HTTP %d: err = %v, want a *dlive.Error", tc.status, err)
		}
		if res.StatusCode != tc.status || res.RequestID != "req-9" || de.RequestID != "req-9" {
			t.Errorf("HTTP %d: Response %d %q, Error's request %q; want %d and req-9 in both", tc.status, res.StatusCode, res.RequestID, de.RequestID, tc.status)
		}
	}
}

// WithMaxRetries replaces the client's retry budget for one call: 0 sends
// a call once, however often DLive asks to retry.
func TestWithMaxRetries(t *testing.T) {
	answers := defaultAnswers()
	answers["Me"] = func(map[string]any) answer {
		return answer{status: 429, header: http.Header{"Retry-After": {"0"}}, body: `{"data":null,"errors":[{"message":"too many requests"}]}`}
	}
	srv := newFakeDLive(t, answers)
	_, err := newClient(t, srv, allScopes).Me(context.Background(), onair.WithMaxRetries(0))
	var de *dlive.Error
	if !errors.As(err, &de) || de.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want a 429 *dlive.Error", err)
	}
	if n := len(srv.Calls()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// WithTimeout bounds one call: a server that never answers fails it with
// context.DeadlineExceeded.
func TestWithTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // until the client gives up
	}))
	defer srv.Close()
	c, err := dlive.NewClient(tokenSource(allScopes), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Get(context.Background(), "dlive-12345678", onair.WithTimeout(1))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}
