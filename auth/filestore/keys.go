package filestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Keys returns the keys of the records in the directory, in no particular
// order. A record names its key inside, since file names are hashes: a
// record whose file cannot be read as one, and a record written by a
// version of this package older than Keys, are not listed (saving a token
// under the key again, as any refresh does, lists it). It takes no lock.
func (s *Store) Keys(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("filestore: listing keys: %w", err)
	}
	var keys []string
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("filestore: listing keys: %w", err)
		}
		key, err := recordKey(filepath.Join(s.dir, e.Name()))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // deleted since the listing
		case err != nil:
			return nil, fmt.Errorf("filestore: listing keys: %w", err)
		}
		// A record copied under another key's name is not that key's.
		if key != "" && name(key) == base {
			keys = append(keys, key)
		}
	}
	return keys, nil
}

// recordKey returns the key a record file names, "" for a file it cannot
// read as a record.
func recordKey(path string) (string, error) {
	f, _, err := openFile(path, os.O_RDONLY)
	var nf *notFileError
	switch {
	case errors.As(err, &nf):
		return "", nil
	case err != nil:
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return "", err
	}
	var env struct {
		Key string `json:"key"`
	}
	if len(b) > maxRecord || json.Unmarshal(b, &env) != nil {
		return "", nil
	}
	return env.Key, nil
}
