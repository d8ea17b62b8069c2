package table

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr(n int) *int { return &n }

func TestPageNumber(t *testing.T) {
	five := []int{1, 2, 3, 4, 5}
	tests := []struct {
		name         string
		items        []int
		number, size int
		want         []int
		at           Numbered
		ok           bool
		prev, next   *int
	}{
		{"first", five, 0, 2, []int{1, 2}, Numbered{0, 2, 3, 5}, true, nil, ptr(1)},
		{"middle", five, 1, 2, []int{3, 4}, Numbered{1, 2, 3, 5}, true, ptr(0), ptr(2)},
		{"last, short", five, 2, 2, []int{5}, Numbered{2, 2, 3, 5}, true, ptr(1), nil},
		{"past the last", five, 3, 2, nil, Numbered{3, 2, 3, 5}, false, nil, nil},
		{"an empty list has page 0", nil, 0, 20, []int{}, Numbered{0, 20, 1, 0}, true, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, at, ok := PageNumber(tt.items, tt.number, tt.size)
			if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.ok {
				t.Fatalf("PageNumber: ok %v, want %v; page (-want +got):\n%s", ok, tt.ok, diff)
			}
			if diff := cmp.Diff(tt.at, at); diff != "" {
				t.Errorf("Numbered (-want +got):\n%s", diff)
			}
			if ok {
				if diff := cmp.Diff([]*int{tt.prev, tt.next}, []*int{at.Previous(), at.Next()}); diff != "" {
					t.Errorf("Previous, Next (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestJSendPages(t *testing.T) {
	tests := []struct {
		name          string
		items         []int
		page, perPage int
		want          []int
		pages         int
	}{
		{"first", []int{1, 2, 3}, 0, 2, []int{1, 2}, 2},
		{"last", []int{1, 2, 3}, 1, 2, []int{3}, 2},
		{"past the last is empty", []int{1, 2, 3}, 5, 2, []int{}, 2},
		{"an empty list has no page", nil, 0, 10, []int{}, 0},
		// page*perPage wraps to 0: the far page must not be the first.
		{"far past the last is empty", []int{1, 2, 3}, 1 << 62, 4, []int{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pages := JSendPages(tt.items, tt.page, tt.perPage)
			if diff := cmp.Diff(tt.want, got); diff != "" || pages != tt.pages {
				t.Errorf("JSendPages: %d pages, want %d; page (-want +got):\n%s", pages, tt.pages, diff)
			}
		})
	}
}

func TestRelayPage(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct {
		name         string
		items        []string
		first, after int
		want         []string
		at           Relay
	}{
		{"from the start", []string{"a", "b", "c"}, 2, 0, []string{"a", "b"}, Relay{s("1"), s("2"), true, false}},
		{"after the second", []string{"a", "b", "c"}, 2, 2, []string{"c"}, Relay{s("3"), s("3"), false, true}},
		{"after the end", []string{"a", "b"}, 2, 9, []string{}, Relay{nil, nil, false, true}},
		{"none asked", []string{"a"}, 0, 0, []string{}, Relay{nil, nil, true, false}},
		{"an empty list is an empty page", nil, 10, 0, []string{}, Relay{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, at := RelayPage(tt.items, tt.first, tt.after)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.at, at); diff != "" {
				t.Errorf("Relay (-want +got):\n%s", diff)
			}
		})
	}
}
