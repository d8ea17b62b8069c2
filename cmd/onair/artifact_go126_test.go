//go:build go1.26

package main

import "testing"

// artifactDir is where a test keeps files worth looking at afterwards: go
// test -artifacts keeps them under its output directory.
func artifactDir(t *testing.T) string { return t.ArtifactDir() }
