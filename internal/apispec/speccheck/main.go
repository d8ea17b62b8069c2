// Command speccheck checks specs against specs/CONVENTIONS.md:
//
//	go run ./internal/apispec/speccheck specs/livepush.yaml
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/onair-go/onair/internal/apispec"
)

func main() {
	status := 0
	for _, path := range os.Args[1:] {
		s, err := apispec.Load(context.Background(), path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 1
			continue
		}
		fmt.Printf("%s: ok, %d operations\n", path, len(s.Ops))
	}
	os.Exit(status)
}
