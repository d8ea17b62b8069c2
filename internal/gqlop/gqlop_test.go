package gqlop

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAnnotation(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{in: " service=Users method=Me scopes=identity evidence=doc",
			want: map[string]string{"service": "Users", "method": "Me", "scopes": "identity", "evidence": "doc"}},
		{in: " service=Users method=Me scopes=identity email:read evidence=doc",
			want: map[string]string{"service": "Users", "method": "Me", "scopes": "identity email:read", "evidence": "doc"}},
		{in: " stray service=Users", wantErr: `annotation word "stray" has no key`},
		{in: " service=A service=B", wantErr: "annotation key service is repeated"},
		{in: " tag=Users", wantErr: `unknown annotation key "tag"`},
	}
	for _, tt := range tests {
		got, err := ParseAnnotation(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseAnnotation(%q) = %v, want error %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAnnotation(%q): %v", tt.in, err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ParseAnnotation(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestReadHeader(t *testing.T) {
	tests := []struct {
		name, src string
		want      Header
		wantErr   string
	}{
		{name: "source and doc",
			src: "# onair: service=Chat method=Send scopes=chat:write evidence=third-party\n# source: the web client\n# Sends a message.\n# @genqlient(omitempty: true)\n# not doc\nmutation Send { x }\n",
			want: Header{Service: "Chat", Method: "Send", Scopes: []string{"chat:write"}, Evidence: "third-party",
				Source: "the web client", Doc: []string{"Sends a message."}}},
		// A "source:" below the description is part of it.
		{name: "late source",
			src:  "# onair: service=Users method=Me scopes=- evidence=doc\n# The user.\n# source: here\nquery Me { me { id } }\n",
			want: Header{Service: "Users", Method: "Me", Evidence: "doc", Doc: []string{"The user.", "source: here"}}},
		{name: "no annotation", src: "query Me { me { id } }\n", wantErr: "the first line must be"},
		{name: "no scopes", src: "# onair: service=Users method=Me evidence=doc\n", wantErr: "scopes= is missing"},
		{name: "bad evidence", src: "# onair: service=Users method=Me scopes=- evidence=maybe\n", wantErr: `evidence="maybe"`},
		{name: "unexported", src: "# onair: service=Users method=me scopes=- evidence=doc\n", wantErr: "must be exported Go names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadHeader([]byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
