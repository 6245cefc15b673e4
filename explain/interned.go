package explain

// interned numbers distinct values in the order they are first seen, so
// that a table per sample or per stack holds a 4-byte number instead of
// the value (a string, a struct) or a map entry.
type interned[T comparable] struct {
	ids    map[T]int32
	values []T
}

// id returns v's number, numbering it when new.
func (t *interned[T]) id(v T) int32 {
	if id, ok := t.ids[v]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = map[T]int32{}
	}
	id := int32(len(t.values))
	t.values = append(t.values, v)
	t.ids[v] = id
	return id
}
