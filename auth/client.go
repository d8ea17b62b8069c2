package auth

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
)

// Client returns an HTTP client whose requests carry tokens from
// c.TokenSource(ctx, tok, opts...) in the provider's scheme. Its base
// transport is that of the client in ctx under oauth2.HTTPClient, if any.
func (c *Config[S]) Client(ctx context.Context, tok *oauth2.Token, opts ...TokenSourceOption) *http.Client {
	return &http.Client{Transport: c.Transport(c.TokenSource(ctx, tok, opts...), httpClient(ctx).Transport)}
}

// Transport returns a Transport for src in the provider's scheme over base.
// src may be any source, such as oauth2.StaticTokenSource: the scheme comes
// from c.Endpoint (BareToken), never from the source.
func (c *Config[S]) Transport(src oauth2.TokenSource, base http.RoundTripper) *Transport {
	return &Transport{Source: src, Base: base, BareToken: c.Endpoint.BareToken}
}

// Granted returns the scopes tok was granted, from its "scope" field, which
// this package always sets (to the requested scopes when the provider's
// answer omitted it). Unknown scopes are reported with scopes.ErrUnknown
// beside the known ones.
func Granted[S scopes.Scope](tok *oauth2.Token) ([]S, error) {
	if tok == nil {
		return nil, fmt.Errorf("auth: Granted: token is nil")
	}
	s, _ := tok.Extra("scope").(string)
	return scopes.Parse[S](s)
}
