//go:build unix

package index

import (
	"os"
	"syscall"
)

// mapFile maps a whole file read-only into memory: its pages are the page
// cache's, shared with other processes and not part of the Go heap. The
// mapping is never unmapped; a generation's files are never written after
// they are complete, and an unlinked file stays mapped.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size == 0 {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}
