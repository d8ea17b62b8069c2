package sandbox

import "reflect"

// Clone returns a deep copy of v: pointers, slices, maps and interface
// values are copied all the way down, so that a record handed out of a
// sandbox's store shares no memory with the stored one. Structs with
// unexported fields (time.Time, say) and channels and functions are copied
// as values. It is what a JSON round trip does for the stores' records, at
// a fraction of the cost.
func Clone[T any](v T) T {
	var out T
	src := reflect.ValueOf(&v).Elem()
	dst := reflect.ValueOf(&out).Elem()
	deepCopy(dst, src)
	return out
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		if src.IsNil() {
			return // dst is the zero value already
		}
	}
	switch src.Kind() {
	case reflect.Pointer:
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		c := reflect.New(src.Elem().Type()).Elem()
		deepCopy(c, src.Elem())
		dst.Set(c)
	case reflect.Slice:
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for k, v := range src.Seq2() {
			c := reflect.New(v.Type()).Elem()
			deepCopy(c, v)
			m.SetMapIndex(k, c)
		}
		dst.Set(m)
	case reflect.Struct:
		t := src.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				dst.Set(src) // opaque to reflection: copy it whole
				return
			}
		}
		for i := range t.NumField() {
			deepCopy(dst.Field(i), src.Field(i))
		}
	case reflect.Array:
		for i := range src.Len() {
			deepCopy(dst.Index(i), src.Index(i))
		}
	default:
		dst.Set(src)
	}
}
