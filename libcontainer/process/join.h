/* join.h - the process `exec` clones: it joins a running container's
 * namespaces, gets the same process setup as the init, and execs. */
#ifndef BERTH_JOIN_H
#define BERTH_JOIN_H

#include <stdint.h>
#include <sys/types.h>

#include "caps.h"
#include "libcontainer/config/config.h"
#include "libcontainer/seccomp/seccomp_filter.h"

struct cgroup_self_join;

struct join_config {
	const struct berth_process *proc;
	const struct caps_sets *caps;	      /* NULL: keep the set we have */
	const struct seccomp_filter *seccomp; /* NULL: none */
	int sync_fd;
	int init_pidfd;
	pid_t init_pid;
	uint64_t ns_flags; /* namespaces to join (user, cgroup); the parent joined the rest */
	bool userns;	   /* one of them is a user namespace */
	int preserve_fds;
	int parent_fds[6]; /* closed at once; -1 = unused */
	/* v1 "tasks" files to move ourselves into first; NULL or n = 0: none */
	struct cgroup_self_join *self_join;
};

__attribute__((noreturn)) void join_run(const struct join_config *cfg);

#endif
