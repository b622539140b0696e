/* namespaces.c - namespace flags from the spec, and joining namespaces. */
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct ns_proc_name {
	uint64_t flag;
	const char *name; /* under /proc/<pid>/ns/ */
};

/* User first: joining it first gives the rights to join the others. */
static const struct ns_proc_name proc_names[] = {
    {CLONE_NEWUSER, "user"}, {CLONE_NEWNS, "mnt"},    {CLONE_NEWNET, "net"},
    {CLONE_NEWIPC, "ipc"},   {CLONE_NEWUTS, "uts"},   {CLONE_NEWCGROUP, "cgroup"},
    {CLONE_NEWPID, "pid"},   {CLONE_NEWTIME, "time"},
};

uint64_t ns_new_flags(const struct berth_spec *spec)
{
	uint64_t flags = 0;

	for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
		const struct berth_namespace *ns = &spec->linux_.namespaces[i];
		if (!ns->path || !*ns->path)
			flags |= (uint64_t)berth_ns_clone_flag(ns->type);
	}
	return flags;
}

bool ns_has_joins(const struct berth_spec *spec)
{
	for (size_t i = 0; i < spec->linux_.n_namespaces; i++)
		if (spec->linux_.namespaces[i].path && *spec->linux_.namespaces[i].path)
			return true;
	return false;
}

static int join_one(const struct berth_namespace *ns, struct berth_error *err)
{
	_cleanup_close_ int fd = open(ns->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return berr_sys(err, errno, "open %s namespace %s", berth_ns_type_name(ns->type),
				ns->path);
	if (setns(fd, berth_ns_clone_flag(ns->type)) < 0)
		return berr_sys(err, errno, "join %s namespace %s", berth_ns_type_name(ns->type),
				ns->path);
	return 0;
}

int ns_join_paths(const struct berth_spec *spec, bool skip_pid, struct berth_error *err)
{
	/* user namespace first, then the rest in spec order */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < spec->linux_.n_namespaces; i++) {
			const struct berth_namespace *ns = &spec->linux_.namespaces[i];
			bool is_user = ns->type == BERTH_NS_USER;
			if (!ns->path || !*ns->path || (pass == 0) != is_user)
				continue;
			if (skip_pid && ns->type == BERTH_NS_PID)
				continue;
			if (join_one(ns, err) < 0)
				return -1;
		}
	}
	return 0;
}

int ns_join_pid_path(const struct berth_spec *spec, struct berth_error *err)
{
	const struct berth_namespace *ns = berth_spec_namespace(spec, BERTH_NS_PID);

	if (!ns || !ns->path || !*ns->path)
		return 0;
	return join_one(ns, err);
}

uint64_t ns_differing_flags(pid_t pid)
{
	uint64_t flags = 0;
	char path[64];
	struct stat mine, theirs;

	for (size_t i = 0; i < sizeof(proc_names) / sizeof(proc_names[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", proc_names[i].name);
		if (stat(path, &mine) < 0)
			continue; /* the kernel lacks this namespace type */
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, proc_names[i].name);
		if (stat(path, &theirs) < 0)
			continue;
		if (mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev)
			flags |= proc_names[i].flag;
	}
	return flags;
}

int ns_join_pidfd(int pidfd, pid_t pid, uint64_t flags, struct berth_error *err)
{
	char path[64];

	if (!flags)
		return 0;
	if (setns(pidfd, (int)flags) == 0)
		return 0;
	if (errno != EINVAL)
		return berr_sys(err, errno, "setns into the namespaces of pid %d", (int)pid);
	/* Kernels before 5.8 take no pidfd: open every /proc/<pid>/ns file first
	 * (after a mount namespace join /proc is another one), then join. */
	int fds[8];
	int types[8];
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < sizeof(proc_names) / sizeof(proc_names[0]); i++) {
		if (!(flags & proc_names[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, proc_names[i].name);
		fds[n] = open(path, O_RDONLY | O_CLOEXEC);
		types[n] = (int)proc_names[i].flag;
		if (fds[n] < 0) {
			rc = berr_sys(err, errno, "open %s", path);
			break;
		}
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && setns(fds[i], types[i]) < 0)
			rc = berr_sys(err, errno, "setns into a namespace of pid %d", (int)pid);
		close(fds[i]);
	}
	if (rc < 0)
		return -1;
	return 0;
}

int ns_enter_for_clone(int pidfd, pid_t pid, uint64_t flags, struct ns_saved *saved,
		       struct berth_error *err)
{
	char path[64];

	saved->n = 0;
	saved->cwd_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (saved->cwd_fd < 0)
		return berr_sys(err, errno, "open the current directory");
	for (size_t i = 0; i < sizeof(proc_names) / sizeof(proc_names[0]); i++) {
		if (!(flags & proc_names[i].flag) || proc_names[i].flag == CLONE_NEWUSER)
			continue;
		snprintf(path, sizeof(path), "/proc/self/ns/%s", proc_names[i].name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ns_restore(saved, NULL);
			return berr_sys(err, errno, "open %s", path);
		}
		saved->fds[saved->n] = fd;
		saved->types[saved->n++] = (int)proc_names[i].flag;
	}
	if (ns_join_pidfd(pidfd, pid, flags & ~(uint64_t)CLONE_NEWUSER, err) < 0) {
		ns_restore(saved, NULL);
		return -1;
	}
	return 0;
}

int ns_restore(struct ns_saved *saved, struct berth_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < saved->n; i++) {
		if (setns(saved->fds[i], saved->types[i]) < 0 && rc == 0)
			rc = berr_sys(err, errno, "return to our own namespaces");
		close(saved->fds[i]);
	}
	saved->n = 0;
	if (saved->cwd_fd >= 0) {
		/* joining a mount namespace moved our root and cwd: take them back */
		if (fchdir(saved->cwd_fd) < 0 && rc == 0)
			rc = berr_sys(err, errno, "return to our working directory");
		close(saved->cwd_fd);
		saved->cwd_fd = -1;
	}
	return rc;
}
