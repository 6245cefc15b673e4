package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeOutput writes what render produces to path, or to stdout when path is
// "" or "-". Nothing reaches the destination unless render succeeds: a file
// is rendered into a temporary file beside it and renamed into place, and
// stdout output is held (in memory, spilling to a temporary file past
// spoolMemory) until render has finished. It refuses to write over any of
// the inputs.
func writeOutput(stdout io.Writer, path string, inputs []string, render func(w io.Writer) error) error {
	if path == "" || path == "-" {
		sp := &spool{}
		defer sp.discard()
		if err := render(sp); err != nil {
			return err
		}
		return sp.copyTo(stdout)
	}
	if err := refuseInput(path, inputs); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return writeThrough(path, render)
	}
	// Through a symbolic link, the file it points to is replaced, not the
	// link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return outputError(path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := newBlockWriter(tmp)
	defer bw.Close()
	if err := render(bw); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return outputError(path, err)
	}
	if err := tmp.Sync(); err != nil {
		return outputError(path, err)
	}
	if err := tmp.Close(); err != nil {
		return outputError(path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return outputError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return outputError(path, err)
	}
	done = true
	return nil
}

// writeThrough writes to an existing path that is not a regular file (a
// device such as /dev/null or /dev/stdout, a named pipe): renaming a
// temporary file onto it would replace the device with a file. The whole
// output is rendered first, so nothing reaches it unless render succeeds.
func writeThrough(path string, render func(w io.Writer) error) error {
	sp := &spool{}
	defer sp.discard()
	if err := render(sp); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return outputError(path, err)
	}
	if err := sp.copyTo(f); err != nil {
		f.Close()
		return outputError(path, err)
	}
	if err := f.Close(); err != nil {
		return outputError(path, err)
	}
	return nil
}

// outputError names the path the user gave, not the temporary file the
// failed operation was on.
func outputError(path string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) {
		err = pe.Err
	} else if errors.As(err, &le) {
		err = le.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot write %s: directory %s does not exist", path, filepath.Dir(path))
	}
	return fmt.Errorf("cannot write %s: %w", path, err)
}

// spoolMemory is how much stdout output is held in memory before it spills
// to a temporary file: reports are small, conversions of huge profiles are
// not.
const spoolMemory = 32 << 20

// spool holds output until the command has succeeded.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	bw   *bufio.Writer
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) <= spoolMemory {
		return s.mem.Write(p)
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "hotspot-spool-*")
		if err != nil {
			return 0, err
		}
		s.file, s.bw = f, bufio.NewWriterSize(f, 1<<16)
		if _, err := s.bw.Write(s.mem.Bytes()); err != nil {
			return 0, err
		}
		s.mem = bytes.Buffer{}
	}
	return s.bw.Write(p)
}

func (s *spool) copyTo(w io.Writer) error {
	if s.file == nil {
		_, err := w.Write(s.mem.Bytes())
		return err
	}
	if err := s.bw.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

func (s *spool) discard() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
	}
}

// checkOutput refuses an -o path that is one of the inputs before anything
// is read, so a mistake with a large input fails at once; writeOutput
// checks again just before it writes.
func checkOutput(path string, inputs []string) error {
	if path == "" || path == "-" {
		return nil
	}
	return refuseInput(path, inputs)
}

// refuseInput fails when out names the same file as one of the inputs.
func refuseInput(out string, inputs []string) error {
	ost, err := os.Stat(out)
	if err != nil {
		return nil // does not exist yet: cannot be an input
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		ist, err := os.Stat(in)
		if err == nil && os.SameFile(ost, ist) {
			return flagErrorf("refusing to write %s: it is the input %s", out, in)
		}
	}
	return nil
}
