package dlivetest

// The arguments of GraphQL fields, Relay pages, and small list helpers.

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onair-go/onair/internal/sandbox/table"
)

// page returns the page of items that args' first and after ask for, in
// the "relay" style.
func page[T any](items []T, args map[string]any) (*connection, error) {
	first, ok, err := integer(args, "first")
	switch {
	case err != nil:
		return nil, err
	case !ok:
		first = defaultPageSize
	case first < 0:
		return nil, errors.New("first must not be negative")
	}
	start := 0
	if after := str(args, "after"); after != "" {
		n, err := strconv.Atoi(after)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("invalid cursor %q", after)
		}
		start = n
	}
	list, at := table.RelayPage(items, min(first, maxPageSize), start)
	return &connection{TotalCount: len(items), List: list, PageInfo: at}, nil
}

// str returns the String argument name, "" when absent. A variable may
// hold a number, which gqlparser lets pass as a String (json.Number).
func str(args map[string]any, name string) string {
	switch v := args[name].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// integer returns the Int argument name, if set. Literals arrive as
// int64; variables as json.Number, or as a string, which gqlparser lets
// pass for an Int.
func integer(args map[string]any, name string) (int, bool, error) {
	v := args[name]
	if v == nil {
		return 0, false, nil
	}
	n, err := intValue(v)
	if err != nil {
		return 0, false, fmt.Errorf("%s must be a 32-bit Int, not %v", name, v)
	}
	return n, true, nil
}

// intValue reads one Int value, in any of the forms integer takes.
func intValue(v any) (int, error) {
	n, err := strconv.ParseInt(fmt.Sprint(v), 10, 32)
	return int(n), err
}

func find[T any](items []*T, f func(*T) bool) *T {
	if i := slices.IndexFunc(items, f); i >= 0 {
		return items[i]
	}
	return nil
}

func filter[T any](items []T, keep func(T) bool) []T {
	var out []T
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

// byDisplayname sorts users as args' sortedBy, a RelationSortOrder, says:
// by display name, A to Z (AZ, the default) or Z to A (ZA). The sandbox
// keeps no dates or earnings of relations, so the other orders sort AZ too.
func byDisplayname(us []*account, args map[string]any) []*account {
	desc := str(args, "sortedBy") == "ZA"
	slices.SortStableFunc(us, func(x, y *account) int {
		if desc {
			x, y = y, x
		}
		return cmp.Compare(strings.ToLower(x.Displayname), strings.ToLower(y.Displayname))
	})
	return us
}

// matches reports whether any of fields contains text, case aside.
func matches(text string, fields ...string) bool {
	return slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(strings.ToLower(f), text) })
}
