package dlive_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
)

// reportPercentiles reports the 50th and 99th percentiles of d.
func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	at := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	b.ReportMetric(float64(at(0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(at(0.99).Microseconds()), "p99-µs")
}

// BenchmarkChatEventLatency measures a chat message on the sandbox from
// the Chat.Send call to its event in the subscriber's loop.
func BenchmarkChatEventLatency(b *testing.B) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	c, loop := sandboxSubscriber(b, srv)
	ctx := context.Background()
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		sent, err := c.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: sandboxStreamer, Message: fmt.Sprint("bench ", i), RoomRole: dlive.RoomRoleMember})
		if err != nil {
			b.Fatal(err)
		}
		id := sent.(*dlive.ChatText).ID
		for {
			if e, ok := loop.event().(*dlive.ChatText); ok && e.ID == id {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}

// BenchmarkResume measures the time from a dropped connection to the next
// event after the client reconnected and started its subscription again.
func BenchmarkResume(b *testing.B) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	_, loop := sandboxSubscriber(b, srv)
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		srv.DropSubscriptions()
		waitSubscribed(b, srv)
		id := fmt.Sprint("resume-", i)
		if err := srv.Emit(sandboxStreamer, map[string]any{"__typename": "ChatFollow", "type": "Follow", "id": id}); err != nil {
			b.Fatal(err)
		}
		for {
			if e, ok := loop.event().(*dlive.ChatFollow); ok && e.ID == id {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}
