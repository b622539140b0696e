/* clone3.h - process creation with clone3(2) and pidfds. */
#ifndef BERTH_CLONE3_H
#define BERTH_CLONE3_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/error.h"

/* Fork with clone3: `ns_flags` are CLONE_NEW* flags, `cgroup_fd` >= 0
 * places the child in that cgroup (CLONE_INTO_CGROUP). Returns the pid in
 * the parent (with *pidfd set) and 0 in the child, -1 with err on failure. */
pid_t clone3_fork(uint64_t ns_flags, int cgroup_fd, int *pidfd, struct berth_error *err);

/* A clone3 child's first step: no signal blocked (the parent blocks them
 * to forward them; the workload must not inherit that) and the parent's
 * fds in fds[0..n) closed (-1 entries skipped). */
void clone3_child_begin(const int *fds, size_t n);

int pidfd_open_pid(pid_t pid, struct berth_error *err);
int pidfd_signal(int pidfd, int sig, struct berth_error *err);

/* /proc/<pid>/stat field 22 (start time in clock ticks since boot); 0 when
 * the process is gone. Guards every signal against PID reuse. */
uint64_t proc_start_time(pid_t pid);

#endif
