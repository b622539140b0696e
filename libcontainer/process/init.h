/* init.h - the container init: what the clone3 child of `create` does, in
 * the order of ARCHITECTURE.md, until it execve()s the workload. */
#ifndef BERTH_INIT_H
#define BERTH_INIT_H

#include <stdbool.h>

#include "caps.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "libcontainer/seccomp/seccomp_filter.h"

struct cgroup_self_join;

struct init_config {
	const struct berth_spec *spec;
	const char *rootfs; /* absolute host path */
	int sync_fd;	    /* child end of the socketpair */
	int start_fd;	    /* exec.fifo opened O_RDWR: a byte means "start" */
	bool no_pivot;
	const char *keyring_name;	      /* NULL with --no-new-keyring */
	int preserve_fds;		      /* fds 3..3+n-1 reach the workload */
	const struct caps_sets *caps;	      /* NULL: no process.capabilities */
	const struct seccomp_filter *seccomp; /* NULL: no filter */
	bool new_userns;
	bool nested_userns; /* berth runs in a user namespace itself: no mknod either */
	/* v1 hierarchies can't place a child at birth: a cgroup namespace made
	 * by clone3 would be rooted at the parent's v1 cgroups, so the init
	 * unshares it once the parent has moved it (as runc does). */
	bool unshare_cgroupns;
	int host_procfd; /* the parent's verified /proc: sysctls are written before pivot */
	/* v1 "tasks" files to move ourselves into first; NULL or n = 0: none */
	struct cgroup_self_join *self_join;
	/* The parent's fds the child must drop at once: above all the state dir,
	 * whose flock would otherwise be held until the init execs. -1 = unused. */
	int parent_fds[6];
};

/* Runs in the clone3 child and never returns: it execs the workload or
 * reports the failure over sync_fd and exits. */
__attribute__((noreturn)) void init_run(const struct init_config *cfg);

/* Shared with exec: keep stdio and fds 3..3+n-1 (clearing their CLOEXEC),
 * mark every other fd close-on-exec. */
int init_prepare_fds(int preserve_fds, struct berth_error *err);

#endif
