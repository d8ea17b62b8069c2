// Package shop has one of each kind of declaration apilist lists.
package shop

import (
	"context"
	"io"
	"time"

	"example.com/shop/internal/model"
)

const (
	Name          = "shop"
	MaxItems      = 10
	Ratio         = 1.0 / 3
	DefaultStatus = StatusOpen
	hidden        = 1
)

// Status is an enum.
type Status string

const (
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

var (
	ErrClosed      error
	DefaultTimeout = 5 * time.Second
	Hook           func(ctx context.Context, item *Item) (ok bool, err error)
	Events         chan<- Event
	Feeds          chan (<-chan Event)
	Index          map[ItemID][]*Item
	Grid           [2][3]int
	Options        struct {
		Verbose bool
		limit   int
	}
	unexportedValue int
)

// Item is a struct with every kind of field.
type Item struct {
	ID         ItemID
	Tags       []string `json:"tags"`
	Price, Tax float64
	io.Reader
	*Status
	note string
	embedded
}

type embedded struct{ Hidden string }

// ItemID is a defined string.
type ItemID string

// Event is an alias of an internal type.
type Event = model.Event

// Duration is an alias of another module package's type.
type Duration = time.Duration

// Pair is a generic alias.
type Pair[K comparable] = List[K]

// Store is an interface with an unexported method.
type Store interface {
	Get(ctx context.Context, id ItemID) (*Item, error)
	Put(context.Context, ...*Item) error
	io.Closer
	private()
}

// Number is a constraint.
type Number interface {
	~int | ~float64
}

// List is generic.
type List[T any] struct {
	Items []T
	next  *List[T]
}

func (l List[T]) Len() int                          { return len(l.Items) }
func (l *List[T]) Push(v ...T)                      { l.Items = append(l.Items, v...) }
func (l *List[T]) each(func(T))                     {}
func (l *List[T]) Filter(keep func(T) bool) List[T] { return *l }

// Handler is a func type.
type Handler func(context.Context, Event) error

func (h Handler) Handle(ctx context.Context, e Event) error { return h(ctx, e) }

// Open is a plain function.
func Open(ctx context.Context, name string, opts ...Option) (*Shop, error) { return nil, nil }

// Sum is a generic function.
func Sum[T Number, S ~[]T](s S) (total T) { return total }

// Map has an implicit constraint.
func Map[K comparable, V interface{ ~string }](m map[K]V) []K { return nil }

// Option configures Open.
type Option struct{ apply func(*Shop) }

// Shop has exported methods on both receivers.
type Shop struct{}

func (s *Shop) Close() error                  { return nil }
func (s Shop) Status() Status                 { return StatusOpen }
func (s *Shop) Items() <-chan Item            { return nil }
func (s *Shop) Wait(time.Duration, *struct{}) {}
func (s *Shop) unexported()                   {}

// lower is unexported, so its exported method is not listed.
type lower struct{}

func (lower) Exported() {}

func unexportedFunc() {}
