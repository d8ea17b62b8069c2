package wirelog_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/streamdiver"
)

// Each provider's error logs its own text (not the text of the APIError
// it embeds, whose LogValue it would otherwise promote) and the call's
// fields, and leaves out the answer's header and body.
func TestErrorLogValue(t *testing.T) {
	const tok = "at.Kz3+Lx5/Mv7=Nb9~Pc"
	api := func() onair.APIError {
		return onair.APIError{
			StatusCode: 422, Operation: "Events.Get", Method: "GET", Path: "/events/1", RequestID: "req-7",
			Header: http.Header{"X-Echo": {"Bearer " + tok}}, Body: `{"token":"` + tok + `"}`,
		}
	}
	for _, err := range []error{
		func() error { e := api(); return &e }(),
		&livepush.Error{APIError: api(), Message: "stream is live", Code: "E_LIVE"},
		&livestorm.Error{APIError: api(), Errors: []livestorm.ErrorObject{{Title: "Unprocessable", Detail: "title is empty"}}},
		&streamdiver.Error{APIError: api(), Status: "fail", Message: "bad title"},
		&dlive.Error{APIError: api(), Message: "rate limited", Code: 4},
	} {
		var out bytes.Buffer
		slog.New(slog.NewJSONHandler(&out, nil)).Error("call failed", slog.Any("err", err))
		var rec struct {
			Err struct {
				Msg       string `json:"msg"`
				Status    int    `json:"status"`
				RequestID string `json:"request_id"`
			} `json:"err"`
		}
		if e := json.Unmarshal(out.Bytes(), &rec); e != nil {
			t.Fatalf("%T: %v: %s", err, e, out.String())
		}
		if rec.Err.Msg != err.Error() || rec.Err.Status != 422 || rec.Err.RequestID != "req-7" {
			t.Errorf("%T logs %s; want msg %q, status 422, request_id req-7", err, out.String(), err.Error())
		}
		var text bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Error("call failed", slog.Any("err", err))
		assertNoSecret(t, out.String()+text.String(), map[string]string{"token": tok})
		if !strings.Contains(text.String(), "err.status=422") {
			t.Errorf("%T in text: %s; want err.status=422", err, text.String())
		}
	}
}

func TestSubscriptionErrorLogValue(t *testing.T) {
	err := &dlive.SubscriptionError{Type: "error", Message: "unknown streamer"}
	var out bytes.Buffer
	slog.New(slog.NewTextHandler(&out, nil)).Error("subscription ended", slog.Any("err", err))
	if want := `err.msg="` + err.Error() + `" err.type=error`; !strings.Contains(out.String(), want) {
		t.Errorf("log %q lacks %q", out.String(), want)
	}
}
