/* self_join.c - a new process moves itself into the cgroup v1 hierarchies.
 *
 * A parent writing a pid to cgroup.procs takes the kernel's global
 * cgroup_threadgroup_rwsem for writing, and the first writer after a quiet
 * spell waits a whole RCU grace period (8-20 ms on this 2-vCPU host, more
 * than the rest of a container start). A thread writing "0" to a v1
 * "tasks" file moves only itself and skips that lock; for a single-threaded
 * child that is the whole process. The v1 permission check looks at who
 * opened the file, so the parent (root) opens and the child, wherever it
 * is by then (another mount or user namespace), only writes.
 *
 * Never used for v2: there a child is born in its cgroup (CLONE_INTO_CGROUP). */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

int cgroup_manager_open_self_join(struct cgroup_manager *m, struct cgroup_self_join *j,
				  struct berth_error *err)
{
	j->n = 0;
	/* a rootless fallback keeps the hierarchies it never made */
	if (cgroup_manager_is_disabled(m) || m->n_hier > CGROUP_SELF_JOIN_MAX)
		return 0; /* nothing to join, or an odd host: add_pid as before */
	/* a systemd unit's dirs exist only once it runs around the init */
	if (m->sd_unit && !m->sd_started)
		return 0;
	for (size_t i = 0; i < m->n_hier; i++) {
		_cleanup_free_ char *path = cg_join(m->hier[i].dir, "tasks");
		if (!path) {
			cgroup_self_join_close(j);
			return berr_sys(err, ENOMEM, "cgroup %s", m->hier[i].dir);
		}
		j->fds[j->n] = open(path, O_WRONLY | O_CLOEXEC);
		if (j->fds[j->n] < 0) {
			int e = errno;
			cgroup_self_join_close(j);
			return berr_sys(err, e, "open %s", path);
		}
		j->names[j->n++] = m->hier[i].controllers;
	}
	m->v1_self_join = j->n > 0;
	return 0;
}

int cgroup_self_join(struct cgroup_self_join *j, struct berth_error *err)
{
	int ret = 0;

	for (size_t i = 0; i < j->n && ret == 0; i++)
		if (write(j->fds[i], "0", 1) != 1)
			ret = berr_sys(err, errno, "join the cgroup v1 \"%s\" hierarchy",
				       j->names[i]);
	cgroup_self_join_close(j);
	return ret;
}

void cgroup_self_join_close(struct cgroup_self_join *j)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->fds[i] >= 0)
			close(j->fds[i]);
	j->n = 0;
}
