package perfscript

import (
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// maxCPU is the largest CPU number kept; a larger "[n]" is read as a CPU
// column but not counted.
const maxCPU = 1<<16 - 1

// cpuSet is the set of CPUs the samples ran on (perf script's "[002]"),
// one bit a CPU: a fact of the whole recording, so memory does not grow
// with the samples. All samples on one CPU mean the program had one CPU
// on that host, whatever its threads.
type cpuSet struct{ bits []uint64 }

func (c *cpuSet) add(cpu int32) {
	w := int(cpu) >> 6
	for len(c.bits) <= w {
		c.bits = append(c.bits, 0)
	}
	c.bits[w] |= 1 << (uint(cpu) & 63)
}

// list is the set in the kernel's cpulist form ("0-3,8"), "" when empty.
func (c *cpuSet) list() string {
	var b strings.Builder
	n := len(c.bits) * 64
	has := func(i int) bool { return i < n && c.bits[i>>6]&(1<<(uint(i)&63)) != 0 }
	for i := 0; i < n; i++ {
		if !has(i) {
			continue
		}
		j := i
		for has(j + 1) {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(j))
		}
		i = j
	}
	return b.String()
}

// describe records the set in Meta.Attrs as "cpus" (cpulist form) when
// the records named their CPUs.
func (c *cpuSet) describe(m *profile.Meta) {
	if l := c.list(); l != "" {
		setAttr(m, "cpus", l)
	}
}
