package explain

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
)

// TestKernelCalleesWithoutModules: a folded file without _[k] marks
// names the kernel's frames by name only. Frames that run only below
// kernel code (schedule, sk_wait_data, a driver's xen_do_upcall) are the
// kernel's; a frame also called from user code (copy_buf, under both
// tcp_sendmsg and the program's main) keeps its kind, and so does one
// seen only under an unsymbolized caller.
func TestKernelCalleesWithoutModules(t *testing.T) {
	in := "srv;main;__libc_recv;entry_SYSCALL_64_after_hwframe;do_syscall_64;sk_wait_data;schedule;__schedule 5\n" +
		"srv;main;__libc_recv;entry_SYSCALL_64_after_hwframe;do_syscall_64;sk_wait_data;xen_do_upcall 2\n" +
		"srv;main;__libc_send;entry_SYSCALL_64_after_hwframe;do_syscall_64;tcp_sendmsg;copy_buf 3\n" +
		"srv;main;copy_buf 4\n" +
		"srv;[unknown];lonely_stub 1\n"
	p, err := folded.Read(strings.NewReader(in), "k.folded", profile.ReadOptions{})
	require.NoError(t, err)
	c := newClassifier(p, nil)
	rt := map[string]runtime{}
	for i := range c.info {
		rt[c.info[i].name] = c.info[i].rt
	}
	for _, name := range []string{"schedule", "sk_wait_data", "xen_do_upcall", "tcp_sendmsg", "__schedule", "do_syscall_64"} {
		assert.Equal(t, rtKernel, rt[name], name)
	}
	for _, name := range []string{"copy_buf", "main", "lonely_stub"} {
		assert.NotEqual(t, rtKernel, rt[name], name)
	}
}

// A chain of bare names entered from the kernel once and from user code at
// its top: every link is user code (c1 runs under main, c2 only under c1,
// and so on), however long the chain. Striking one link must carry down to
// the next without a pass over the tree per link.
func TestKernelCalleesChain(t *testing.T) {
	const n = 3000
	links := make([]string, n)
	for i := range links {
		links[i] = "c" + strconv.Itoa(i+1)
	}
	in := "srv;entry_SYSCALL_64;do_syscall_64;" + strings.Join(links, ";") + " 1\n" +
		"srv;main;c1 1\n" +
		"srv;entry_SYSCALL_64;do_syscall_64;k_only 1\n"
	p, err := folded.Read(strings.NewReader(in), "chain.folded", profile.ReadOptions{})
	require.NoError(t, err)
	c := newClassifier(p, nil)
	rt := map[string]runtime{}
	for i := range c.info {
		rt[c.info[i].name] = c.info[i].rt
	}
	require.Equal(t, rtKernel, rt["do_syscall_64"])
	assert.Equal(t, rtKernel, rt["k_only"], "called only from the kernel")
	for _, l := range links {
		if !assert.NotEqual(t, rtKernel, rt[l], l) {
			break
		}
	}
}
