// Command floor does the least work a reader of each input kind must do,
// so bench/run.sh can put hotspot's throughput beside it, measured in the
// same run on the same machine:
//
//	floor lines FILE   find every line end (IndexByte over a 1 MiB buffer)
//	floor pprof FILE   decode the file with pprof's own profile.Parse
//
// It prints what it counted, so the work cannot be optimised away.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	pprofile "github.com/google/pprof/profile"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: floor lines|pprof FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	switch os.Args[1] {
	case "lines":
		n, err := lines(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(n, "lines")
	case "pprof":
		p, err := pprofile.Parse(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(len(p.Sample), "samples")
	default:
		fmt.Fprintln(os.Stderr, "usage: floor lines|pprof FILE")
		os.Exit(2)
	}
}

// lines counts line ends one IndexByte at a time, as a line reader would
// find them.
func lines(r io.Reader) (int, error) {
	buf := make([]byte, 1<<20)
	n := 0
	for {
		m, err := io.ReadFull(r, buf)
		b := buf[:m]
		for {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				break
			}
			n++
			b = b[i+1:]
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
