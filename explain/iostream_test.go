package explain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const kernel = "([kernel.kallsyms])"

// ioRecording is a frame-pointer on-CPU recording of small socket
// transfers (the shape of io-sock-stream-py312-fp: sendto and recvfrom
// through libc's __send and __recv). sendTID sends and recvTID receives;
// when they are the same thread, the thread takes turns.
func ioRecording(sendTID, recvTID int) string {
	var b strings.Builder
	at := 1.0
	for i := 0; i < 300; i++ {
		at += 0.002004
		perfEvent(&b, sendTID, at, "unix_stream_sendmsg "+kernel, "__sys_sendto "+kernel, "do_syscall_64 "+kernel,
			"entry_SYSCALL_64_after_hwframe "+kernel, "__send "+libc)
		if i%2 == 0 {
			at += 0.002004
			perfEvent(&b, recvTID, at, "unix_stream_recvmsg "+kernel, "__sys_recvfrom "+kernel, "do_syscall_64 "+kernel,
				"entry_SYSCALL_64_after_hwframe "+kernel, "__recv "+libc)
		}
	}
	for i := 0; i < 20; i++ {
		at += 0.002004
		perfEvent(&b, sendTID, at, "_PyEval_EvalFrameDefault "+libpy)
	}
	return b.String()
}

// TestStreamBetweenThreads: small sends on one thread and the reads that
// drain them on another (300 and 150 samples) are a stream in each
// direction, which buffering the sends merges. The same calls taking turns
// on one thread are request/response round trips, which it cannot.
func TestStreamBetweenThreads(t *testing.T) {
	stream := explainText(t, "stream.perf.txt", ioRecording(21, 22))
	require.NotEmpty(t, stream.Findings)
	assert.Equal(t, "buffer-io", stream.Findings[0].Hint, "findings %v", hintsOf(stream))
	assert.Contains(t, stream.Findings[0].Evidence, "different threads")

	turns := explainText(t, "turns.perf.txt", ioRecording(21, 21))
	assert.NotContains(t, hintsOf(turns), "buffer-io")
	var why string
	for _, r := range turns.RuledOut {
		if r.Hint == "buffer-io" {
			why = r.Reason
		}
	}
	assert.Contains(t, why, "round trips")
}

// TestStreamInFoldedNeedsThreadIDs: the same stream as folded stacks.
// stackcollapse-perf.pl --tid puts each thread on its own first frame
// (sender-7/7, sender-7/8), so the sends and the reads that drain them are
// on different threads: buffer-io. Without those frames the file cannot
// say which thread did what, and explain says that instead of calling the
// transfers round trips.
func TestStreamInFoldedNeedsThreadIDs(t *testing.T) {
	send := ";__send;entry_SYSCALL_64_after_hwframe;do_syscall_64;__sys_sendto;unix_stream_sendmsg 300\n"
	recv := ";__recv;entry_SYSCALL_64_after_hwframe;do_syscall_64;__sys_recvfrom;unix_stream_recvmsg 150\n"
	work := ";_PyEval_EvalFrameDefault 20\n"

	withTIDs := explainText(t, "tid.folded", "sender-7/7"+send+"sender-7/8"+recv+"sender-7/7"+work)
	assert.Contains(t, hintsOf(withTIDs), "buffer-io")

	without := explainText(t, "plain.folded", "sender"+send+"sender"+recv+"sender"+work)
	assert.NotContains(t, hintsOf(without), "buffer-io")
	var why string
	for _, o := range without.RuledOut {
		if o.Hint == "buffer-io" {
			why = o.Reason
		}
	}
	assert.Contains(t, why, "no thread ids")
}

// TestStreamBetweenProcessesInFolded: stackcollapse-perf's default output
// has no thread ids but keeps each process's command name as the stack's
// root. Writes in one process and the reads that drain them in another
// (python writing into a pipe, its child reading it) are a stream whatever
// the threads; both directions under one command name still cannot be put
// on threads, so they stay ruled out.
func TestStreamBetweenProcessesInFolded(t *testing.T) {
	write := ";__GI___libc_write;entry_SYSCALL_64_after_hwframe;do_syscall_64;ksys_write;pipe_write 300\n"
	read := ";__GI___libc_read;entry_SYSCALL_64_after_hwframe;do_syscall_64;ksys_read;pipe_read 150\n"
	work := ";_start;Py_BytesMain;_PyEval_EvalFrameDefault 20\n"

	two := explainText(t, "pipe.folded", "python3.12"+write+"cksum"+read+"python3.12"+work)
	require.NotEmpty(t, two.Findings, "ruled out: %v", two.RuledOut)
	assert.Equal(t, "buffer-io", two.Findings[0].Hint, "findings %v", hintsOf(two))
	assert.Contains(t, two.Findings[0].Evidence, "different processes")

	one := explainText(t, "one.folded", "python3.12"+write+"python3.12"+read+"python3.12"+work)
	assert.NotContains(t, hintsOf(one), "buffer-io")
}

// Real stacks of a CPython 3.12 -X perf DWARF recording (io-sock-stream),
// cut at the innermost Python function: a socket send and a socket recv,
// down to the kernel's unix-socket code.
const (
	sendStack = "python3.12;py::%s:/opt/bench/app.py;_PyEval_EvalFrameDefault;PyObject_Vectorcall;_PyObject_VectorcallTstate;method_vectorcall_VARARGS;sock_send;sock_call;sock_call_ex;sock_send_impl;__libc_send;__libc_send;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_sendto;__sys_sendto;unix_stream_sendmsg %d\n"
	recvStack = "python3.12;py::%s:/opt/bench/app.py;_PyEval_EvalFrameDefault;PyObject_Vectorcall;_PyObject_VectorcallTstate;method_vectorcall_VARARGS;sock_recv;sock_recv_guts;sock_recv_guts;sock_call;sock_call_ex;sock_recv_impl;__libc_recv;__libc_recv;entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_recvfrom;__sys_recvfrom;sock_recvmsg;unix_stream_recvmsg;unix_stream_read_generic %d\n"
	pyWork    = "python3.12;py::%s:/opt/bench/app.py;_PyEval_EvalFrameDefault %d\n"
)

// TestStreamWithoutThreadIDs: a folded file has no thread ids, so a writer
// thread beside a reader thread looks like one process taking turns. The
// Python function that issues each call tells them apart: send_metrics
// only sends (300 samples), drain only receives (140), so the transfers
// are a stream and buffering them is the finding.
func TestStreamWithoutThreadIDs(t *testing.T) {
	text := fmt.Sprintf(sendStack, "send_metrics", 300) + fmt.Sprintf(recvStack, "drain", 140) +
		fmt.Sprintf(pyWork, "send_metrics", 60)
	r := explainText(t, "stream.folded", text)
	require.NotEmpty(t, r.Findings, "ruled out: %v", r.RuledOut)
	f := r.Findings[0]
	assert.Equal(t, "buffer-io", f.Hint)
	assert.Contains(t, f.Evidence, "send_metrics writes, drain reads")
}

// TestRoundTripsWithoutThreadIDs: the same calls where each function both
// sends and receives (a client and a server answering it, 150 and 70 of
// each) are request/response round trips, which a buffer cannot merge:
// no buffer-io, and the reason says why.
func TestRoundTripsWithoutThreadIDs(t *testing.T) {
	text := fmt.Sprintf(sendStack, "client", 150) + fmt.Sprintf(recvStack, "client", 70) +
		fmt.Sprintf(sendStack, "serve", 150) + fmt.Sprintf(recvStack, "serve", 70)
	r := explainText(t, "rpc.folded", text)
	for _, f := range r.Findings {
		assert.NotEqual(t, "buffer-io", f.Hint)
	}
	var why string
	for _, o := range r.RuledOut {
		if o.Hint == "buffer-io" {
			why = o.Reason
		}
	}
	assert.True(t, strings.Contains(why, "no thread ids"), "ruled out: %q", why)
}
