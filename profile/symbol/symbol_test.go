package symbol

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"main", "main"},
		{"_ZN4core3ptr13drop_in_place17h0123456789abcdefE", "core::ptr::drop_in_place"},
		{"_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back"},
		{"_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..clone..Clone$GT$::clone::h3397aabbccddeeff", "<alloc::vec::Vec<T> as core::clone::Clone>::clone"},
		{"rpds::map::hash_trie_map::Node<K,V,P>::insert::h0123456789abcdef", "rpds::map::hash_trie_map::Node<K,V,P>::insert"},
		{"_RNvMs_NtCs1234_5alloc3vecINtB4_3VecpE5clone", "<alloc::vec::Vec<_>>::clone"},
		// The hash suffix is cut only when whole, lowercase and at the end.
		{"::h0123456789abcdef", ""},
		{"f::h0123456789abcdeF", "f::h0123456789abcdeF"},
		{"f::h0123456789abcde", "f::h0123456789abcde"},
		{"f:h0123456789abcdef", "f:h0123456789abcdef"},
		{"f::h0123456789abcdef0", "f::h0123456789abcdef0"},
		{"f::h0123456789abcdef::h0123456789abcdef", "f::h0123456789abcdef"},
		{"f::g0123456789abcdef", "f::g0123456789abcdef"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) { assert.Equal(t, tc.want, Clean(tc.in)) })
	}
	assert.Equal(t, "foo", StripOffset("foo+0x1c"))
}

func TestCutLocation(t *testing.T) {
	tests := []struct {
		in, name, loc string
		ok            bool
	}{
		{"make_key (cmalloc.c:22)", "make_key", "cmalloc.c:22", true},
		{"f(int) const (a.cc:3)", "f(int) const", "a.cc:3", true},
		{"thread (12): main", "", "", false},
		{"x (a (b) c)", "x", "a (b) c", true},
		{"(loc)", "", "", false},
		{" (loc)", "", "loc", true},
		{"name(loc)", "", "", false},
		{"a b)", "", "", false},
		// A name that starts with a parenthesis keeps it (issue 11).
		{"(anonymous namespace)::grow (buf.cc:7)", "(anonymous namespace)::grow", "buf.cc:7", true},
		{"(anonymous namespace)::Worker::step(int) (w.cc:3)", "(anonymous namespace)::Worker::step(int)", "w.cc:3", true},
		{"(anonymous namespace)::Worker::step(int)", "", "", false},
		{"(below main) (in /lib/libc.so.6)", "(below main)", "in /lib/libc.so.6", true},
	}
	for _, tc := range tests {
		name, loc, ok := CutLocation(tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.name, name, tc.in)
		assert.Equal(t, tc.loc, loc, tc.in)
	}
}
