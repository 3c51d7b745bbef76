package bot

import "syscall"

// setThreadNice sets the calling thread's nice value (Linux schedules
// threads, and nice applies to one). An error leaves the priority as it is.
func setThreadNice(n int) {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), n)
}
