package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"policybot/ingest"
)

// SkipEntry records a corpus file the build did not index, with the size
// and modification time it had then: while both stay the same the file is
// not read or parsed again (at every start, by Stale or by a build), and
// the same warning is given from the record.
type SkipEntry struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime"` // Unix nanoseconds; 0 = unknown, always retried
	Reason  string `json:"reason"`
}

// UnmarshalJSON also reads the older form of a manifest's skipped files, a
// bare reason string: such an entry has no size or time and is retried once.
func (e *SkipEntry) UnmarshalJSON(b []byte) error {
	var reason string
	if err := json.Unmarshal(b, &reason); err == nil {
		*e = SkipEntry{Reason: reason}
		return nil
	}
	type plain SkipEntry
	return json.Unmarshal(b, (*plain)(e))
}

// matches reports whether fi is the file as it was when it was skipped.
func (e SkipEntry) matches(fi fs.FileInfo) bool {
	return e.ModTime != 0 && fi != nil && fi.Size() == e.Size && fi.ModTime().UnixNano() == e.ModTime
}

// ErrSkippedBefore marks the warning of a file skipped by an earlier build
// and unchanged since: it was not read again.
var ErrSkippedBefore = errors.New("unchanged since it was skipped")

// readFile reads a corpus file through opt.ReadFile, else os.ReadFile.
func (opt BuildOptions) readFile(path string) ([]byte, error) {
	if opt.ReadFile != nil {
		return opt.ReadFile(path)
	}
	return os.ReadFile(path)
}

// limits returns the extraction limits of a build.
func (opt BuildOptions) limits() ingest.Limits {
	if opt.Limits == (ingest.Limits{}) {
		return ingest.DefaultLimits
	}
	return opt.Limits
}

// skippedBefore returns the record of a file an earlier build skipped, if
// the file is unchanged since and the limits are those it was judged by.
func skippedBefore(prev *previous, opt BuildOptions, src string, fi fs.FileInfo) (SkipEntry, bool) {
	if prev == nil || prev.man.MaxFileBytes != opt.MaxFileBytes || prev.man.MaxExtracted != opt.limits().MaxExtracted {
		return SkipEntry{}, false
	}
	e, ok := prev.man.Skipped[src]
	if !ok || !e.matches(fi) || !prev.man.settled(e.ModTime) {
		return SkipEntry{}, false
	}
	return e, true
}

// checkSize rejects a file over the build's size limit before it is read.
func checkSize(opt BuildOptions, fi fs.FileInfo) error {
	if opt.MaxFileBytes > 0 && fi.Size() > opt.MaxFileBytes {
		return fmt.Errorf("%w: %d bytes, over the file size limit of %d bytes (ingest.max_file_mb)", ingest.ErrTooLarge, fi.Size(), opt.MaxFileBytes)
	}
	return nil
}

// skip records a file the build does not index, and warns about it. fi is
// nil when the file could not even be examined; it is then retried.
func (st *Stats) skip(opt BuildOptions, man *Manifest, src string, fi fs.FileInfo, err error) {
	st.Skipped++
	e := SkipEntry{Reason: err.Error()}
	if fi != nil {
		e.Size, e.ModTime = fi.Size(), fi.ModTime().UnixNano()
	}
	man.Skipped[src] = e
	warn(opt, src, err)
}

// notice passes on what went wrong in a file that was still indexed.
func notice(opt BuildOptions, src string, warnings []string) {
	if opt.Notice == nil {
		return
	}
	for _, w := range warnings {
		opt.Notice(src, w)
	}
}
