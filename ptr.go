package onair

// Ptr returns a pointer to a copy of v, for the fields of request types
// that are pointers because their zero value must be told from leaving
// them out (a boolean set to false, any field of an update):
//
//	livestorm.UpdateEventRequest{ChatEnabled: onair.Ptr(false)}
func Ptr[T any](v T) *T { return &v }
