package explain

// Category is a cost category, named as in the JSON contract.
type Category string

// The categories every sample's cost is attributed to. Shares over them add
// up to 100%.
const (
	CatPython        Category = "python"        // Python code: the eval loop and its helpers under a named Python function
	CatInterpreter   Category = "interpreter"   // CPython time no Python function can be named for
	CatNative        Category = "native"        // other native code doing the real work
	CatFFI           Category = "ffi"           // crossing the Python<->native boundary: the per-call wrapper (trampoline, GIL pool, argument extraction, result conversion)
	CatConvert       Category = "convert"       // converting each element of a sequence argument or result between Python objects and native values
	CatAlloc         Category = "alloc"         // allocation, free, growth, copies made for ownership
	CatGIL           Category = "gil"           // waiting for or handing over the GIL
	CatLock          Category = "lock"          // other lock waits, and handing a lock to a waiter
	CatIO            Category = "io"            // syscalls, file and network I/O
	CatSerialization Category = "serialization" // encoding and decoding
	CatLogging       Category = "logging"       // logging calls, formatting and handlers
	CatGC            Category = "gc"            // garbage collection
	CatAsync         Category = "async"         // event-loop and async-runtime scheduling
	CatImport        Category = "import"        // module import machinery
	CatIdle          Category = "idle"          // asleep or waiting with nothing to wait for
)

// AllCategories lists the categories in a fixed order (used for tie-breaks
// and for zero-filled tables).
var AllCategories = []Category{
	CatPython, CatInterpreter, CatNative, CatFFI, CatConvert, CatAlloc, CatGIL, CatLock, CatIO,
	CatSerialization, CatLogging, CatGC, CatAsync, CatImport, CatIdle,
}

func catIndex(c Category) int {
	for i, x := range AllCategories {
		if x == c {
			return i
		}
	}
	return -1
}
