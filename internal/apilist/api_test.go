package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAPILines lists testdata/shop, a module with one of each kind of
// declaration, an internal package, a command and a test-only package.
func TestAPILines(t *testing.T) {
	pkgs, err := loadPublic(filepath.Join("testdata", "shop"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`pkg example.com/shop, const DefaultStatus = "open"`,
		`pkg example.com/shop, const DefaultStatus Status`,
		`pkg example.com/shop, const MaxItems = 10`,
		`pkg example.com/shop, const MaxItems ideal-int`,
		`pkg example.com/shop, const Name = "shop"`,
		`pkg example.com/shop, const Name ideal-string`,
		`pkg example.com/shop, const Ratio = 0.333333  // 1/3`,
		`pkg example.com/shop, const Ratio ideal-float`,
		`pkg example.com/shop, const StatusClosed = "closed"`,
		`pkg example.com/shop, const StatusClosed Status`,
		`pkg example.com/shop, const StatusOpen = "open"`,
		`pkg example.com/shop, const StatusOpen Status`,
		`pkg example.com/shop, func Map[$0 comparable, $1 interface{ ~string }](map[$0]$1) []$0`,
		`pkg example.com/shop, func Open(context.Context, string, ...Option) (*Shop, error)`,
		`pkg example.com/shop, func Sum[$0 Number, $1 ~[]$0]($1) $0`,
		`pkg example.com/shop, method (*List[$0]) Filter(func($0) bool) List[$0]`,
		`pkg example.com/shop, method (*List[$0]) Push(...$0)`,
		`pkg example.com/shop, method (*Shop) Close() error`,
		`pkg example.com/shop, method (*Shop) Items() <-chan Item`,
		`pkg example.com/shop, method (*Shop) Wait(time.Duration, *struct{})`,
		`pkg example.com/shop, method (Handler) Handle(context.Context, Event) error`,
		`pkg example.com/shop, method (List[$0]) Len() int`,
		`pkg example.com/shop, method (Shop) Status() Status`,
		`pkg example.com/shop, type Duration = time.Duration`,
		`pkg example.com/shop, type Event = model.Event`,
		`pkg example.com/shop, type Handler func(context.Context, Event) error`,
		`pkg example.com/shop, type Item struct`,
		`pkg example.com/shop, type Item struct, ID ItemID`,
		`pkg example.com/shop, type Item struct, Price float64`,
		`pkg example.com/shop, type Item struct, Tags []string`,
		`pkg example.com/shop, type Item struct, Tax float64`,
		`pkg example.com/shop, type Item struct, embedded *Status`,
		`pkg example.com/shop, type Item struct, embedded io.Reader`,
		`pkg example.com/shop, type ItemID string`,
		`pkg example.com/shop, type List[$0 any] struct`,
		`pkg example.com/shop, type List[$0 any] struct, Items []$0`,
		`pkg example.com/shop, type Number interface { ~int | ~float64 }`,
		`pkg example.com/shop, type Option struct`,
		`pkg example.com/shop, type Pair[$0 comparable] = List[$0]`,
		`pkg example.com/shop, type Shop struct`,
		`pkg example.com/shop, type Status string`,
		`pkg example.com/shop, type Store interface { Close, Get, Put, unexported methods }`,
		`pkg example.com/shop, type Store interface, Close() error`,
		`pkg example.com/shop, type Store interface, Get(context.Context, ItemID) (*Item, error)`,
		`pkg example.com/shop, type Store interface, Put(context.Context, ...*Item) error`,
		`pkg example.com/shop, var DefaultTimeout time.Duration`,
		`pkg example.com/shop, var ErrClosed error`,
		`pkg example.com/shop, var Events chan<- Event`,
		`pkg example.com/shop, var Feeds chan (<-chan Event)`,
		`pkg example.com/shop, var Grid [2][3]int`,
		`pkg example.com/shop, var Hook func(context.Context, *Item) (bool, error)`,
		`pkg example.com/shop, var Index map[ItemID][]*Item`,
		`pkg example.com/shop, var Options struct{ Verbose bool; limit int }`,
		`pkg example.com/shop/sub, const OrderStatusOrderStatusNew = "new"`,
		`pkg example.com/shop/sub, const OrderStatusOrderStatusNew OrderStatus`,
		`pkg example.com/shop/sub, method (CreateOrderRequestCreateOrderRequestBody) SendOrderNowSendOrderNow()`,
		`pkg example.com/shop/sub, type Cart struct`,
		`pkg example.com/shop/sub, type Cart struct, Items []shop.Item`,
		`pkg example.com/shop/sub, type Cart struct, Last shop.Event`,
		`pkg example.com/shop/sub, type Cart struct, List shop.List[shop.ItemID]`,
		`pkg example.com/shop/sub, type CreateOrderRequestCreateOrderRequestBody struct`,
		`pkg example.com/shop/sub, type CreateOrderRequestCreateOrderRequestBody struct, APIKeyIDAPIKeyID string`,
		`pkg example.com/shop/sub, type CreateOrderRequestCreateOrderRequestBody struct, OrderStatus OrderStatus`,
		`pkg example.com/shop/sub, type Notifier interface { NotifyStreamIDStreamIdStreamID }`,
		`pkg example.com/shop/sub, type Notifier interface, NotifyStreamIDStreamIdStreamID()`,
		`pkg example.com/shop/sub, type OrderStatus string`,
		`pkg example.com/shop/sub, var URLsByIDURLsByID map[string][]string`,
	}
	if diff := cmp.Diff(want, apiLines(pkgs)); diff != "" {
		t.Errorf("apiLines(testdata/shop) mismatch (-want +got):\n%s", diff)
	}
}

func TestListing(t *testing.T) {
	got := string(listing([]string{"pkg a, func F()", "pkg a, var V int"}))
	want := header + "\npkg a, func F()\npkg a, var V int\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listing mismatch (-want +got):\n%s", diff)
	}
}

// TestWriteIfChanged checks that an unchanged listing is not rewritten, so
// go generate leaves the file's modification time alone.
func TestWriteIfChanged(t *testing.T) {
	name := filepath.Join(t.TempDir(), "api", "onair.txt")
	if err := writeIfChanged(name, []byte("one\n")); err != nil {
		t.Fatal(err)
	}
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(name, past, past); err != nil {
		t.Fatal(err)
	}
	if err := writeIfChanged(name, []byte("one\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(name); err != nil {
		t.Fatal(err)
	} else if !fi.ModTime().Equal(past) {
		t.Errorf("writing the same listing changed the file's time to %v", fi.ModTime())
	}
	if err := writeIfChanged(name, []byte("two\n")); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(name); err != nil {
		t.Fatal(err)
	} else if string(got) != "two\n" {
		t.Errorf("after writing a new listing the file holds %q, want %q", got, "two\n")
	}
}
