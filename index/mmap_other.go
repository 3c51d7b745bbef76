//go:build !unix

package index

import (
	"io"
	"os"
)

// mapFile reads a whole file into memory where mapping is not available.
func mapFile(f *os.File, size int64) ([]byte, error) {
	b := make([]byte, size)
	_, err := io.ReadFull(f, b)
	return b, err
}
