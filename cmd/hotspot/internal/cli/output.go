package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeOutput writes data produced by render to path, or to stdout when path
// is "" or "-". render runs to completion before anything is written, so a
// failed command leaves neither a half-written stdout nor a truncated file:
// files are written to a temporary file beside the target and renamed into
// place. It refuses to write over any of the inputs.
func writeOutput(stdout io.Writer, path string, inputs []string, render func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if path == "" || path == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if err := refuseInput(path, inputs); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	done = true
	return nil
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
