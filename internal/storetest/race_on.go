//go:build race

package storetest

// raceDetector reports whether this binary was built with -race.
const raceDetector = true
