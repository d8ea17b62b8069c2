package fidelity_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/fidelity"
)

func loadSpecs(t *testing.T) map[string]*fidelity.Spec {
	t.Helper()
	specs, err := fidelity.LoadSpecs("../../specs")
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

// recorded returns the session's cassette as Save writes and Load reads it.
func recorded(t *testing.T) *cassette.Cassette {
	t.Helper()
	data, err := cassette.Encode(record(t).rec.Cassette())
	if err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The session's cassette confirms the spec of every operation it calls,
// with no interaction the spec does not know.
func TestSessionConfirmsSpecs(t *testing.T) {
	c := recorded(t)
	findings, err := fidelity.Check(c, loadSpecs(t))
	if err != nil {
		t.Fatal(err)
	}
	confirmed := map[string]int{}
	for _, f := range findings {
		switch f.Verdict {
		case fidelity.Confirms:
			confirmed[f.Provider]++
		case fidelity.OAuth:
		default:
			t.Errorf("interaction %d, %s %s: %s %v", f.Interaction, f.Provider, f.Operation, f.Verdict, f.Problems)
		}
	}
	for _, p := range []string{"livepush", "livestorm", "streamdiver", "dlive"} {
		if confirmed[p] == 0 {
			t.Errorf("no operation of %s confirmed", p)
		}
	}
	sum := fidelity.Summary(findings)
	for _, op := range []string{"livepush createStream", "livepush getStream", "dlive Me"} {
		if sum[op] != fidelity.Confirms {
			t.Errorf("Summary[%q] = %q, want confirms", op, sum[op])
		}
	}
}

// The session replays against fresh sandboxes with no difference.
func TestSessionReplays(t *testing.T) {
	c := recorded(t)
	diffs, err := fidelity.Replay(context.Background(), c, loadSpecs(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("replay: %s", d)
	}
}

// setMember sets the member key of the JSON object body to v.
func setMember(t *testing.T, body []byte, key string, v any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("the answer is no JSON object: %v", err)
	}
	if _, ok := m[key]; !ok {
		t.Fatalf("the answer has no member %q", key)
	}
	m[key] = v
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// find returns the index of the first interaction of c whose finding
// names op.
func find(t *testing.T, c *cassette.Cassette, specs map[string]*fidelity.Spec, op string) int {
	t.Helper()
	findings, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Operation == op {
			return f.Interaction - 1
		}
	}
	t.Fatalf("no interaction of %s", op)
	return -1
}

// A cassette edited to contradict the spec is reported with the operation
// and the field, and a sandbox that answers otherwise with the field.
func TestContradictionReported(t *testing.T) {
	specs := loadSpecs(t)
	c := recorded(t)
	i := find(t, c, specs, "getStream")
	c.Interactions[i].Response.Body = setMember(t, c.Interactions[i].Response.Body, "id", 42)

	findings, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	var got []fidelity.Finding
	for _, f := range findings {
		if f.Verdict != fidelity.Confirms && f.Verdict != fidelity.OAuth {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d interactions contradict the spec, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.Operation != "getStream" || f.Verdict != fidelity.Contradicts || f.Interaction != i+1 {
		t.Errorf("finding = %d %s %s, want %d getStream contradicts", f.Interaction, f.Operation, f.Verdict, i+1)
	}
	if len(f.Problems) == 0 || f.Problems[0].In != "answer" || f.Problems[0].Pointer != "/id" {
		t.Errorf("problems = %v, want the answer's /id", f.Problems)
	}
	if fidelity.Summary(findings)["livepush getStream"] != fidelity.Contradicts {
		t.Error("Summary does not say getStream contradicts the spec")
	}

	diffs, err := fidelity.Replay(context.Background(), c, specs)
	if err != nil {
		t.Fatal(err)
	}
	want := []fidelity.Difference{{Interaction: i + 1, Provider: "livepush", Operation: "getStream", Field: "/id", Recorded: "number", Replayed: "string"}}
	if d := cmp.Diff(want, diffs); d != "" {
		t.Errorf("Replay (-want +got):\n%s", d)
	}
}

// A request that contradicts the spec names the request's field.
func TestRequestContradictionReported(t *testing.T) {
	specs := loadSpecs(t)
	c := recorded(t)
	i := find(t, c, specs, "createStream")
	c.Interactions[i].Request.Body = setMember(t, c.Interactions[i].Request.Body, "name", true)
	findings, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	f := findings[i]
	if f.Verdict != fidelity.Contradicts || len(f.Problems) == 0 || f.Problems[0].In != "request" || !strings.HasSuffix(f.Problems[0].Pointer, "/name") {
		t.Errorf("finding = %s %v, want the request's /name", f.Verdict, f.Problems)
	}
}

// A recording of the real providers, whose URLs name their servers (with
// a base path: Livestorm's /v1) and their OAuth hosts, is checked and
// replayed as one of the sandboxes.
func TestRealURLs(t *testing.T) {
	specs := loadSpecs(t)
	c := recorded(t)
	api := map[string]string{
		"livepush":    "https://octopus.livepush.io",
		"livestorm":   "https://api.livestorm.co/v1",
		"streamdiver": "https://api.streamdiver.com/v2",
		"dlive":       "https://graphigo.prd.dlive.tv",
	}
	before, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range c.Interactions {
		u, err := url.Parse(in.Request.URL)
		if err != nil {
			t.Fatal(err)
		}
		p := specs[c.ProviderOf(i)].Provider
		if before[i].Verdict == fidelity.OAuth {
			tu, err := url.Parse(p.Endpoint("acme").TokenURL)
			if err != nil {
				t.Fatal(err)
			}
			u.Scheme, u.Host = tu.Scheme, tu.Host
		} else {
			base, err := url.Parse(api[p.Name()])
			if err != nil {
				t.Fatal(err)
			}
			u.Scheme, u.Host, u.Path = base.Scheme, base.Host, base.Path+u.Path
		}
		c.Interactions[i].Request.URL = u.String()
	}
	after, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("the verdicts on real URLs differ (-sandbox +real):\n%s", d)
	}
	diffs, err := fidelity.Replay(context.Background(), c, specs)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("replay: %s", d)
	}
}

// A request the spec has no operation for is reported as unknown.
func TestUnknownOperation(t *testing.T) {
	specs := loadSpecs(t)
	c := recorded(t)
	i := find(t, c, specs, "getStream")
	c.Interactions[i].Request.URL = strings.Replace(c.Interactions[i].Request.URL, "/streams/", "/livestreams/", 1)
	findings, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	if f := findings[i]; f.Verdict != fidelity.Unknown || !strings.HasPrefix(f.Operation, "GET /livestreams/") {
		t.Errorf("finding = %s %s, want unknown GET /livestreams/…", f.Operation, f.Verdict)
	}
}

// An answer status the operation does not declare contradicts the spec.
func TestUndeclaredStatusReported(t *testing.T) {
	specs := loadSpecs(t)
	c := recorded(t)
	i := find(t, c, specs, "getStream")
	c.Interactions[i].Response.Status = http.StatusTeapot
	findings, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	want := []fidelity.Problem{{In: "answer", Reason: "status 418 is not among the operation's answers"}}
	if d := cmp.Diff(want, findings[i].Problems); d != "" || findings[i].Verdict != fidelity.Contradicts {
		t.Errorf("finding %s (-want +got problems):\n%s", findings[i].Verdict, d)
	}
}
