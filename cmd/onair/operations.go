package main

// The provider packages name their operations with Op constants but export
// no list of them; opsgen reads the constants so that the CLI can list
// the names --for accepts.
//go:generate go run ./internal/opsgen operations_gen.go livepush livestorm streamdiver dlive
