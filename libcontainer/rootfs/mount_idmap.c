/* mount_idmap.c - the user namespace an idmapped mount takes its
 * mappings from: a child that unshares CLONE_NEWUSER, gets the mount's maps
 * written through procfs, hands over its ns/user and is reaped.
 *
 * Never leaves the child behind, on any path. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts_internal.h"
#include "procfs.h"

/* A user namespace holding the mount's uidMappings/gidMappings: a child
 * unshares CLONE_NEWUSER and waits, its maps are written through procfs, its
 * ns/user opened, and it is reaped. */
int mounts_idmap_userns(const struct berth_mount *m, struct berth_error *err)
{
	int ready[2], release[2];
	char buf[4096], rel[64], c;
	pid_t pid;
	int nsfd = -1, procfd = -1, piddir = -1;

	if (!m->n_uid_mappings || !m->n_gid_mappings)
		return berr_set(err, "idmap needs uidMappings and gidMappings");
	if (pipe2(ready, O_CLOEXEC) < 0)
		return berr_sys(err, errno, "pipe");
	if (pipe2(release, O_CLOEXEC) < 0) {
		close(ready[0]);
		close(ready[1]);
		return berr_sys(err, errno, "pipe");
	}
	pid = fork();
	if (pid < 0) {
		berr_sys(err, errno, "fork");
		close(release[1]);
		goto close_rest;
	}
	if (pid == 0) {
		close(ready[0]);
		close(release[1]);
		/* report "y<pid>": the pid as /proc names it, which differs from
		 * fork()'s when we are in a new pid namespace and /proc is the host's */
		char msg[32] = "n";
		ssize_t l = -1;
		if (unshare(CLONE_NEWUSER) == 0) {
			l = readlink("/proc/self", msg + 1, sizeof(msg) - 2);
			msg[0] = 'y';
		}
		msg[l > 0 ? l + 1 : 1] = '\0';
		if (write(ready[1], msg, strlen(msg)) < 0)
			_exit(1);
		/* wait until the parent is done (it closes its end) */
		while (read(release[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	ready[1] = -1;
	close(release[0]);
	release[0] = -1;

	char msg[32];
	ssize_t l = read(ready[0], msg, sizeof(msg) - 1);
	if (l < 2 || msg[0] != 'y') {
		berr_set(err, "the idmap helper could not unshare a user namespace");
		goto out;
	}
	msg[l] = '\0';
	const char *procpid = msg + 1;
	procfd = procfs_open(err);
	if (procfd < 0)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		const struct berth_id_mapping *map = pass ? m->gid_mappings : m->uid_mappings;
		size_t n = pass ? m->n_gid_mappings : m->n_uid_mappings;
		size_t off = 0;
		for (size_t i = 0; i < n && off < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%u %u %u\n",
						map[i].container_id, map[i].host_id, map[i].size);
		if (off >= sizeof(buf)) {
			berr_set(err, "mappings too long");
			goto out;
		}
		snprintf(rel, sizeof(rel), "%s/%s", procpid, pass ? "gid_map" : "uid_map");
		if (procfs_write(procfd, rel, buf, err) < 0)
			goto out;
	}
	/* ns/user is a magic link: open it from the checked <pid> directory */
	snprintf(rel, sizeof(rel), "%s", procpid);
	piddir = procfs_openat(procfd, rel, O_PATH | O_DIRECTORY, err);
	if (piddir < 0)
		goto out;
	nsfd = openat(piddir, "ns/user", O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		berr_sys(err, errno, "open the idmap user namespace");
		goto out;
	}
	struct statfs sfs;
	if (fstatfs(nsfd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC) {
		close(nsfd);
		nsfd = -1;
		berr_set(err, "ns/user is not an nsfs file");
	}
out:
	if (piddir >= 0)
		close(piddir);
	if (procfd >= 0)
		close(procfd);
	close(release[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
close_rest:
	if (ready[0] >= 0)
		close(ready[0]);
	if (ready[1] >= 0)
		close(ready[1]);
	if (release[0] >= 0)
		close(release[0]);
	return nsfd;
}
