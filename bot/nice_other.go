//go:build !linux

package bot

// setThreadNice does nothing where nice is not per thread.
func setThreadNice(int) {}
