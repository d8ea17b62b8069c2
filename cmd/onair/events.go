package main

// hasLiveEvents reports whether "onair events" follows p's live events.
func hasLiveEvents(p provider) bool { return false }
