//go:build !go1.26

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// artifactDir is where a test keeps files worth looking at afterwards:
// $ONAIR_ARTIFACTS/<test>, or a directory removed after the test. (Go
// 1.26's testing.T.ArtifactDir replaces this.)
func artifactDir(t *testing.T) string {
	root := os.Getenv("ONAIR_ARTIFACTS")
	if root == "" {
		return t.TempDir()
	}
	dir := filepath.Join(root, filepath.FromSlash(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
