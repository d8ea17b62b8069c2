package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/scopes"
)

// dliveEvents: a streamer's chat, over DLive's subscription WebSocket.
type dliveEvents struct{}

// dliveSandboxPath is where onair's DLive sandbox serves subscriptions,
// beside its API: what a base URL that points onair at it implies.
const dliveSandboxPath = "/subscriptions"

func (dliveEvents) Follow(ctx context.Context, ts oauth2.TokenSource, base, streamer string, emit func(LiveEvent)) error {
	opts := []dlive.Option{dlive.WithLogger(wirelog.FromContext(ctx))}
	if base != "" {
		ws := "ws" + strings.TrimPrefix(strings.TrimSuffix(base, "/"), "http") + dliveSandboxPath
		opts = append(opts, dlive.WithBaseURL(base), dlive.WithSubscriptionURL(ws))
	}
	client, err := dlive.NewClient(ts, opts...)
	if err != nil {
		return err
	}
	return follow(ctx, client, streamer, emit)
}

// follow hands the chat events of streamer to emit until ctx ends.
func follow(ctx context.Context, client *dlive.Client, streamer string, emit func(LiveEvent)) error {
	for ev, err := range client.Chat.Subscribe(ctx, streamer) {
		if errors.Is(err, dlive.ErrSubscriptionRefused) {
			return fmt.Errorf("following %s: %w: %w", streamer, ErrTokenRefused, err)
		}
		if err != nil {
			return fmt.Errorf("following %s: %w", streamer, err)
		}
		emit(dliveEvent(ev))
	}
	return ctx.Err()
}

// sandboxTokens issues a sandbox token on every call, as a source whose
// token is refreshed does.
type sandboxTokens struct{ srv *dlivetest.Server }

func (s sandboxTokens) Token() (*oauth2.Token, error) {
	return s.srv.IssueToken(scopes.DLiveIdentity, scopes.DLiveChatWrite, scopes.DLiveRelationshipWrite), nil
}

func (dliveEvents) FollowSandbox(ctx context.Context, streamer string, note func(string), emit func(LiveEvent)) error {
	srv, err := dlivetest.NewUnstartedServer(dlivetest.WithAppName("onair events"))
	if err != nil {
		return err
	}
	srv.Start()
	defer srv.Close()
	client, err := dlive.NewClient(sandboxTokens{srv}, dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()), dlive.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return err
	}
	me, err := client.Me(ctx)
	if err != nil {
		return err
	}
	note(fmt.Sprintf("DLive sandbox at %s; once subscribed, its user %s (%s) chats with %s and follows them.", srv.URL, me.DisplayName, me.Username, streamer))

	// The activity runs beside the subscription and ends with it; when
	// it fails, the command ends with its error.
	ctx, cancel := context.WithCancelCause(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := dliveActivity(ctx, srv, client, streamer); err != nil {
			cancel(err)
		}
	})
	err = follow(ctx, client, streamer, emit)
	cancel(nil)
	wg.Wait()
	if cause := context.Cause(ctx); err != nil && !errors.Is(cause, context.Canceled) {
		return fmt.Errorf("the sandbox's activity: %w", cause)
	}
	return err
}

// dliveActivity is what happens in the sandbox once the subscription is
// up: a chat message, and a follow, through the typed API.
func dliveActivity(ctx context.Context, srv *dlivetest.Server, client *dlive.Client, streamer string) error {
	if err := srv.WaitSubscribed(ctx, streamer, 1); err != nil {
		return nil // the command ended first
	}
	if _, err := client.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: streamer, Message: "Hello from the onair sandbox!", RoomRole: dlive.RoomRoleMember}); err != nil {
		return fmt.Errorf("sending a chat message: %w", err)
	}
	if err := client.Relationships.Follow(ctx, streamer); err != nil {
		return fmt.Errorf("following %s: %w", streamer, err)
	}
	return nil
}

// dliveEvent is ev for the CLI.
func dliveEvent(ev dlive.ChatMessage) LiveEvent {
	e := LiveEvent{Value: ev}
	switch ev := ev.(type) {
	case *dlive.ChatText:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), ev.Content
	case *dlive.ChatGift:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), strings.TrimSpace(fmt.Sprintf("gave %s %s %s", ev.Amount, ev.Gift, ev.Message))
	case *dlive.ChatFollow:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), "followed"
	case *dlive.ChatSubscription:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("subscribed for %d months", ev.Month)
	case *dlive.ChatExtendSub:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("extended their subscription by %d months, %d in all", ev.Month, ev.Length)
	case *dlive.ChatSubStreak:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("subscribed %d months in a row", ev.Length)
	case *dlive.ChatGiftSub:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("gifted %d subscriptions", ev.Count)
		if ev.Receiver != "" {
			e.Text += " to " + ev.Receiver
		}
	case *dlive.ChatGiftSubReceive:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), "received a subscription from "+ev.Gifter
	case *dlive.ChatHost:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("hosts with %d viewers", ev.Viewer)
	case *dlive.ChatClip:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), "clipped "+ev.URL
	case *dlive.ChatEmoteAdd:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), "added the emote "+ev.Emote
	case *dlive.ChatTCValueAdd:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("added %s to the treasure chest, %s in all", ev.Amount, ev.TotalAmount)
	case *dlive.ChatModerator:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), "is no longer a moderator"
		if ev.Add {
			e.Text = "became a moderator"
		}
	case *dlive.ChatBan:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), "banned by "+sender(ev.BannedBy)
	case *dlive.ChatTimeout:
		e.Kind, e.Sender, e.Text = string(ev.Type), sender(ev.Sender), fmt.Sprintf("timed out for %d minutes by %s", ev.Minute, sender(ev.BannedBy))
	case *dlive.ChatDelete:
		e.Kind, e.Text = string(ev.Type), "deleted "+strings.Join(ev.IDs, ", ")
	case *dlive.ChatChangeMode:
		e.Kind, e.Text = string(ev.Type), "the chat's mode is now "+string(ev.Mode)
	case *dlive.ChatLive:
		e.Kind, e.Text = string(ev.Type), "the stream started"
	case *dlive.ChatOffline:
		e.Kind, e.Text = string(ev.Type), "the stream ended"
	case *dlive.UnknownChatMessage:
		e.Kind = ev.Typename
		if e.Kind == "" {
			e.Kind = string(ev.Type)
		}
		if e.Kind == "" {
			e.Kind = "unknown"
		}
		e.Text = "not decoded: " + ev.Err.Error()
		e.Value = json.RawMessage(ev.Raw)
	default:
		e.Kind = fmt.Sprintf("%T", ev)
	}
	return e
}

// sender names s for people: the display name and the username.
func sender(s *dlive.ChatSender) string {
	switch {
	case s == nil:
		return ""
	case s.DisplayName == "" || s.DisplayName == s.Username:
		return s.Username
	}
	return s.DisplayName + " (" + s.Username + ")"
}
