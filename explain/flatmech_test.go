package explain

import (
	"fmt"
	"github.com/hotspot-dev/hotspot/internal/testutil"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Many functions sharing the cost do not make a profile flat when one
// mechanism holds most of it: eight functions each sending to or receiving
// from a socket (64 of 100 samples in system calls, 8 each; request and
// response, so no buffering finding claims them) and a spread of Python
// work is I/O-bound, not flat. The same shape with the writes
// replaced by Python work is flat.
func TestDominantMechanismIsNotFlat(t *testing.T) {
	sendLeaves := []string{"tcp_sendmsg_locked", "tcp_push", "__dev_queue_xmit", "ip_finish_output2"}
	recvLeaves := []string{"tcp_recvmsg_locked", "skb_copy_datagram_iter", "tcp_cleanup_rbuf", "__skb_datagram_iter"}
	var io, cpu strings.Builder
	for i := 0; i < 8; i++ {
		// The kernel's work spread over several functions, as in a real
		// recording (tcp_sendmsg_locked, skb_copy_datagram_iter...).
		if i%2 == 0 {
			fmt.Fprintf(&io, "python3.12;_PyEval_EvalFrameDefault;step_%d;__libc_send;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_sendto;tcp_sendmsg;%s 8\n", i, sendLeaves[i/2])
		} else {
			fmt.Fprintf(&io, "python3.12;_PyEval_EvalFrameDefault;step_%d;__libc_recv;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_recvfrom;tcp_recvmsg;%s 8\n", i, recvLeaves[i/2])
		}
		fmt.Fprintf(&cpu, "<module> (app.py:1);main (app.py:5);step_%d (app.py:%d) 8\n", i, 10+i)
	}
	for i := 0; i < 9; i++ {
		fmt.Fprintf(&io, "python3.12;_PyEval_EvalFrameDefault;work_%d;compute_%d 4\n", i, i)
		fmt.Fprintf(&cpu, "<module> (app.py:1);main (app.py:5);work_%d (app.py:%d) 4\n", i, 30+i)
	}
	r := explainText(t, "sends.folded", io.String())
	var ioShare float64
	for _, c := range r.Categories {
		if c.Name == "io" {
			ioShare = c.Share
		}
	}
	require.InDelta(t, 0.64, ioShare, 0.001, "the sends are I/O: 64 of 100")
	assert.False(t, r.Flat, "an I/O-bound profile is not flat")
	for _, f := range r.Findings {
		assert.NotEqual(t, "flat-profile", f.Hint)
	}
	assert.True(t, explainText(t, "steps.folded", cpu.String()).Flat, "the same spread of Python work is flat")
}

// TestOneFunctionIsNeverFlat: pprof's public large.cpu profile has a loop
// (main.next) split evenly into thousands of small steps, every one of
// which calls time.Now, which holds 85.4% of the samples by itself: a
// profile dominated by one function is not flat, however evenly the loop
// above it splits.
func TestOneFunctionIsNeverFlat(t *testing.T) {
	r := explainFile(t, testutil.Shared(t, "fixtures/public/pprof/google-pprof_large.cpu.pb.gz"))
	assert.Nil(t, findingOf(r, "flat-profile"), "findings %v", hintsOf(r))
	assert.NotContains(t, r.Headline.Cause, "flat")
}
