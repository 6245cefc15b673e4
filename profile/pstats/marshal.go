package pstats

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
)

// The marshal values a pstats file holds. Containers keep their elements
// in file order; a dict is its key/value pairs.
type (
	tuple []any
	dict  []pair
	pair  struct {
		k, v any
		off  int64 // offset of the key, for messages
	}
	// code is a code object: only what names it is kept.
	code struct{ name, filename string }
	// pending marks a ref-table slot whose container is still being read.
	pending struct{}
	none    struct{}
)

// maxNesting is marshal's own bound on nesting (CPython's
// MAX_MARSHAL_STACK_DEPTH).
const maxNesting = 2000

// flagRef on a type byte asks for the object to enter the ref table.
const flagRef = 0x80

// decoder reads marshal data (format version 4 and 5, as CPython 3.4-3.14
// write it) from a stream.
type decoder struct {
	r        *bufio.Reader
	name     string
	off      int64
	refs     []any
	maxBytes int // longest string accepted (--max-line)
}

// errorf returns a one-line error at offset off.
func (d *decoder) errorf(off int64, format string, args ...any) error {
	return fmt.Errorf("%s: offset %d: %s", d.name, off, fmt.Sprintf(format, args...))
}

func (d *decoder) byte() (byte, error) {
	c, err := d.r.ReadByte()
	if err != nil {
		return 0, d.eof(err)
	}
	d.off++
	return c, nil
}

func (d *decoder) eof(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return d.errorf(d.off, "the file ends inside a marshal object: it is cut short")
	}
	return fmt.Errorf("%s: offset %d: %w", d.name, d.off, err)
}

func (d *decoder) full(n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, 64<<10))
	for len(buf) < n {
		chunk := min(n-len(buf), 64<<10)
		start := len(buf)
		buf = append(buf, make([]byte, chunk)...)
		k, err := io.ReadFull(d.r, buf[start:])
		d.off += int64(k)
		if err != nil {
			return nil, d.eof(err)
		}
	}
	return buf, nil
}

func (d *decoder) int32() (int32, error) {
	b, err := d.full(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.LittleEndian.Uint32(b)), nil
}

// length reads an int32 length and checks it against what can be real.
func (d *decoder) length(what string) (int, error) {
	off := d.off
	n, err := d.int32()
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, d.errorf(off, "negative %s length %d", what, n)
	}
	if int(n) > d.maxBytes {
		return 0, d.errorf(off, "%s length %d exceeds the limit of %d (raise it with --max-line)", what, n, d.maxBytes)
	}
	return int(n), nil
}

// value reads one object.
func (d *decoder) value(depth int) (any, error) {
	off := d.off
	t, err := d.byte()
	if err != nil {
		return nil, err
	}
	if depth > maxNesting {
		return nil, d.errorf(off, "objects nested deeper than %d", maxNesting)
	}
	slot := -1
	if t&flagRef != 0 {
		slot = len(d.refs)
		d.refs = append(d.refs, pending{})
	}
	v, err := d.body(t&^flagRef, off, depth)
	if err != nil {
		return nil, err
	}
	if slot >= 0 {
		d.refs[slot] = v
	}
	return v, nil
}

func (d *decoder) body(t byte, off int64, depth int) (any, error) {
	switch t {
	case '0':
		return nil, d.errorf(off, "unexpected end-of-container marker (TYPE_NULL) where an object should be")
	case 'N':
		return none{}, nil
	case 'T':
		return true, nil
	case 'F':
		return false, nil
	case 'S', '.':
		return none{}, nil // StopIteration, Ellipsis: only inside code constants
	case 'i':
		n, err := d.int32()
		return int64(n), err
	case 'I':
		b, err := d.full(8)
		if err != nil {
			return nil, err
		}
		return int64(binary.LittleEndian.Uint64(b)), nil
	case 'l':
		return d.long(off)
	case 'g':
		b, err := d.full(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), nil
	case 'y':
		_, err := d.full(16) // binary complex: only inside code constants
		return none{}, err
	case 'f', 'x':
		n := 1
		if t == 'x' {
			n = 2
		}
		var f float64
		for i := 0; i < n; i++ {
			c, err := d.byte()
			if err != nil {
				return nil, err
			}
			b, err := d.full(int(c))
			if err != nil {
				return nil, err
			}
			if f, err = strconv.ParseFloat(string(b), 64); err != nil {
				return nil, d.errorf(off, "text float %q is not a number", b)
			}
		}
		return f, nil
	case 's':
		n, err := d.length("bytes")
		if err != nil {
			return nil, err
		}
		return d.full(n)
	case 'u', 't', 'a', 'A':
		n, err := d.length("string")
		if err != nil {
			return nil, err
		}
		b, err := d.full(n)
		return string(b), err
	case 'z', 'Z':
		c, err := d.byte()
		if err != nil {
			return nil, err
		}
		b, err := d.full(int(c))
		return string(b), err
	case ')', '(', '[', '<', '>':
		var n int
		if t == ')' {
			c, err := d.byte()
			if err != nil {
				return nil, err
			}
			n = int(c)
		} else {
			var err error
			if n, err = d.length("container"); err != nil {
				return nil, err
			}
		}
		out := make(tuple, 0, min(n, 1024))
		for i := 0; i < n; i++ {
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case '{':
		var out dict
		for {
			koff := d.off
			c, err := d.r.ReadByte()
			if err != nil {
				return nil, d.eof(err)
			}
			if c == '0' {
				d.off++
				return out, nil
			}
			if err := d.r.UnreadByte(); err != nil {
				return nil, err
			}
			k, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, pair{k, v, koff})
		}
	case 'r':
		n, err := d.int32()
		if err != nil {
			return nil, err
		}
		if n < 0 || int(n) >= len(d.refs) {
			return nil, d.errorf(off, "back-reference %d to an object not yet read (%d so far)", n, len(d.refs))
		}
		v := d.refs[n]
		if _, ok := v.(pending); ok {
			return nil, d.errorf(off, "back-reference %d to a container that is still being read", n)
		}
		return v, nil
	case 'c':
		return d.code(off, depth)
	}
	return nil, d.errorf(off, "unknown marshal type byte 0x%02x", t)
}

// long reads TYPE_LONG: an int32 signed digit count, then that many 15-bit
// digits, least significant first.
func (d *decoder) long(off int64) (any, error) {
	n, err := d.int32()
	if err != nil {
		return nil, err
	}
	size := int(n)
	if size < 0 {
		size = -size
	}
	if size > d.maxBytes/2 {
		return nil, d.errorf(off, "integer of %d digits exceeds the limit (raise it with --max-line)", size)
	}
	b, err := d.full(2 * size)
	if err != nil {
		return nil, err
	}
	v := new(big.Int)
	for i := size - 1; i >= 0; i-- {
		digit := binary.LittleEndian.Uint16(b[2*i:])
		if digit >= 1<<15 {
			return nil, d.errorf(off, "integer digit %d out of range (want below 32768)", digit)
		}
		v.Lsh(v, 15)
		v.Or(v, big.NewInt(int64(digit)))
	}
	if n < 0 {
		v.Neg(v)
	}
	if v.IsInt64() {
		return v.Int64(), nil
	}
	return v, nil
}

// code reads a code object. Only python -m profile writes one, as the name
// of its root entry; the layout depends on the writing Python: 3.8-3.10
// have six int32 fields (argcount, posonlyargcount, kwonlyargcount,
// nlocals, stacksize, flags), 3.11 and later five (no nlocals). Both are
// followed by the bytecode as a bytes object, which tells them apart.
func (d *decoder) code(off int64, depth int) (any, error) {
	for i := 0; i < 5; i++ {
		if _, err := d.int32(); err != nil {
			return nil, err
		}
	}
	next, err := d.r.Peek(1)
	if err != nil {
		return nil, d.eof(err)
	}
	modern := next[0]&^flagRef == 's'
	if !modern {
		if _, err := d.int32(); err != nil {
			return nil, err
		}
	}
	// 3.11+: code consts names localsplusnames localspluskinds filename
	// name qualname; 3.8-3.10: code consts names varnames freevars
	// cellvars filename name.
	objs := make([]any, 8)
	for i := range objs {
		if objs[i], err = d.value(depth + 1); err != nil {
			return nil, err
		}
	}
	if _, err := d.int32(); err != nil { // firstlineno
		return nil, err
	}
	tail := 1 // lnotab
	if modern {
		tail = 2 // linetable, exceptiontable
	}
	for i := 0; i < tail; i++ {
		if _, err := d.value(depth + 1); err != nil {
			return nil, err
		}
	}
	if _, ok := objs[0].([]byte); !ok {
		return nil, d.errorf(off, "code object without bytecode: a code layout this reader does not know (Python 3.8 or later wrote it?)")
	}
	filename, _ := objs[5].(string)
	name, _ := objs[6].(string)
	if !modern {
		filename, _ = objs[6].(string)
		name, _ = objs[7].(string)
	}
	return code{name: name, filename: filename}, nil
}

// typeName says what kind of value v is, for messages.
func typeName(v any) string {
	switch v.(type) {
	case none:
		return "None"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte:
		return "bytes"
	case tuple:
		return "tuple"
	case dict:
		return "dict"
	case code:
		return "code object"
	}
	return fmt.Sprintf("%T", v)
}
