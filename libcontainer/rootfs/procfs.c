/* procfs.c - procfs reads and writes that a container's mounts can't redirect.
 *
 * With openat2 the path is resolved beneath the checked /proc fd with
 * RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV, so a bind mount
 * over /proc/<pid>/attr/... or a symlink planted in the way makes the open
 * fail instead of reaching another file. Without openat2 the path is walked
 * one component at a time with O_NOFOLLOW and each step must stay on the
 * mount of the /proc fd (statx mount id). The final fd is checked to be on
 * procfs before any byte is written. */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "safepath.h"

#define PROC_ROOT_INO 1

#define PROC_RESOLVE                                                                               \
	(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV)

static int check_procfs_fd(int fd, const char *what, struct berth_error *err)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return berr_sys(err, errno, "fstatfs %s", what);
	if (sfs.f_type != PROC_SUPER_MAGIC)
		return berr_set(err, "%s is not on procfs (f_type 0x%lx)", what,
				(unsigned long)sfs.f_type);
	return 0;
}

int procfs_open(struct berth_error *err)
{
	_cleanup_close_ int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return berr_sys(err, errno, "open /proc");
	if (check_procfs_fd(fd, "/proc", err) < 0)
		return -1;
	/* A bind mount of /proc/1 (or any procfs subdirectory) over /proc would
	 * pass the magic check: only the root of a procfs has inode 1. */
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "fstat /proc");
	if (st.st_ino != PROC_ROOT_INO)
		return berr_set(err, "/proc is not the root of a procfs (inode %lu)",
				(unsigned long)st.st_ino);
	return steal_fd(&fd);
}

static int mount_id(int fd, uint64_t *id)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
		return -1;
	if (!(stx.stx_mask & STATX_MNT_ID)) {
		errno = ENOSYS;
		return -1;
	}
	*id = stx.stx_mnt_id;
	return 0;
}

/* The openat2-less walk: every component opened with O_NOFOLLOW relative to
 * the previous one, every step on the same mount as the /proc fd. */
static int walk_open(int procfd, const char *rel, int flags)
{
	_cleanup_close_ int cur = -1;
	char comp[NAME_MAX + 1];
	uint64_t root_id = 0, id = 0;
	const char *p = rel;
	bool have_ids;

	have_ids = mount_id(procfd, &root_id) == 0;
	cur = openat(procfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -1;
	for (;;) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		const char *next = end;
		while (*next == '/')
			next++;
		bool last = *next == '\0';

		if (len == 0)
			break;
		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		if (strcmp(comp, "..") == 0 || strcmp(comp, ".") == 0) {
			errno = EXDEV;
			return -1;
		}
		int nfd = last ? openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC)
			       : openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0)
			return -1;
		close(cur);
		cur = nfd;
		if (have_ids && (mount_id(cur, &id) < 0 || id != root_id)) {
			errno = EXDEV;
			return -1;
		}
		if (last)
			return steal_fd(&cur);
		p = next;
	}
	errno = EINVAL;
	return -1;
}

static int proc_open_raw(int procfd, const char *rel, int flags)
{
	/* openat2 takes O_PATH with no flag but O_DIRECTORY/O_NOFOLLOW/O_CLOEXEC */
	if (!(flags & O_PATH))
		flags |= O_NOCTTY;
	if (!safepath_use_fallback()) {
		int fd = safepath_openat2(procfd, rel, flags | O_CLOEXEC, PROC_RESOLVE);
		if (fd >= 0 || errno != ENOSYS)
			return fd;
	}
	return walk_open(procfd, rel, flags);
}

/* Read the procfs's own "self"/"thread-self" link, without following it and
 * refusing anything mounted over it: its target is this process as the
 * procfs's pid namespace numbers it. */
static int read_self_link(int procfd, const char *name, char *buf, size_t len,
			  struct berth_error *err)
{
	_cleanup_close_ int fd = proc_open_raw(procfd, name, O_PATH | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return berr_sys(err, errno, "open /proc/%s", name);
	n = readlinkat(fd, "", buf, len - 1);
	if (n < 0)
		return berr_sys(err, errno, "readlink /proc/%s", name);
	buf[n] = '\0';
	/* "<pid>" or "<pid>/task/<tid>": digits and that one form only */
	if (n == 0 || buf[0] < '0' || buf[0] > '9' || strstr(buf, ".."))
		return berr_set(err, "/proc/%s: unexpected link target \"%s\"", name, buf);
	return 0;
}

static int resolve_rel(int procfd, const char *rel, char *out, size_t outlen,
		       struct berth_error *err)
{
	static const char *const selves[] = {"thread-self", "self"};
	char link[64];

	while (*rel == '/')
		rel++;
	for (size_t i = 0; i < sizeof(selves) / sizeof(selves[0]); i++) {
		size_t l = strlen(selves[i]);
		if (strncmp(rel, selves[i], l) != 0 || (rel[l] != '/' && rel[l] != '\0'))
			continue;
		if (read_self_link(procfd, selves[i], link, sizeof(link), err) < 0)
			return -1;
		if ((size_t)snprintf(out, outlen, "%s%s", link, rel + l) >= outlen)
			return berr_set(err, "/proc/%s: path too long", rel);
		return 0;
	}
	if ((size_t)snprintf(out, outlen, "%s", rel) >= outlen)
		return berr_set(err, "/proc/%s: path too long", rel);
	return 0;
}

int procfs_openat(int procfd, const char *rel, int flags, struct berth_error *err)
{
	_cleanup_close_ int own = -1;
	_cleanup_close_ int fd = -1;
	char path[PATH_MAX];

	if (procfd < 0) {
		own = procfs_open(err);
		if (own < 0)
			return -1;
		procfd = own;
	}
	if (resolve_rel(procfd, rel, path, sizeof(path), err) < 0)
		return -1;
	fd = proc_open_raw(procfd, path, flags);
	if (fd < 0)
		return berr_sys(err, errno, "open /proc/%s", path);
	if (check_procfs_fd(fd, path, err) < 0)
		return -1;
	return steal_fd(&fd);
}

int procfs_write(int procfd, const char *rel, const char *data, struct berth_error *err)
{
	_cleanup_close_ int fd = procfs_openat(procfd, rel, O_WRONLY, err);
	size_t len = strlen(data);
	ssize_t n;

	if (fd < 0)
		return -1;
	/* One write: uid_map, setgroups and sysctls take their value whole. */
	do
		n = write(fd, data, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return berr_sys(err, errno, "write /proc/%s", rel);
	if ((size_t)n != len)
		return berr_set(err, "write /proc/%s: short write (%zd of %zu bytes)", rel, n, len);
	return 0;
}

int procfs_read(int procfd, const char *rel, char *buf, size_t len, struct berth_error *err)
{
	_cleanup_close_ int fd = -1;
	size_t off = 0;

	if (len == 0)
		return berr_set(err, "read /proc/%s: empty buffer", rel);
	fd = procfs_openat(procfd, rel, O_RDONLY, err);
	if (fd < 0)
		return -1;
	while (off < len - 1) {
		ssize_t n = read(fd, buf + off, len - 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return berr_sys(err, errno, "read /proc/%s", rel);
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	return (int)off;
}
