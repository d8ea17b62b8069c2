package onair_test

import (
	"testing"

	"github.com/onair-go/onair"
)

func TestPtr(t *testing.T) {
	v := false
	p := onair.Ptr(v)
	if p == &v || *p != false {
		t.Fatalf("Ptr(false) = %p -> %v, want a new pointer to false", p, *p)
	}
	*p = true
	if v {
		t.Error("writing through Ptr's pointer changed the argument")
	}
}
