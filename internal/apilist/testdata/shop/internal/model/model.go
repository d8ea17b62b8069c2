// Package model is internal, so apilist leaves it out.
package model

// Event is aliased by package shop.
type Event struct{ Kind string }
