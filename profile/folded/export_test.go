package folded

import (
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// ReadChunked is Read with the input cut into chunks of size bytes.
func ReadChunked(r io.Reader, name string, opt profile.ReadOptions, size int) (*profile.Profile, error) {
	rd := newReader(name, opt)
	rd.chunkSize = size
	if err := rd.run(newTextReader(r)); err != nil {
		return nil, err
	}
	return rd.finish()
}
