/* safepath.c - path resolution inside a root directory fd.
 *
 * Two resolvers with one meaning: openat2(RESOLVE_IN_ROOT|
 * RESOLVE_NO_MAGICLINKS) where the kernel has it, and a component walk that
 * opens each step with O_NOFOLLOW, reads symlinks itself and splices their
 * target into the rest of the path (absolute targets restart at the root,
 * ".." pops a stack of directory fds and stops at the root). The walk is
 * also the creator: a missing component is made with mkdirat/openat on the
 * directory fd just checked, then opened again with O_NOFOLLOW. */
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define MAX_SYMLINKS	40 /* as the kernel's MAXSYMLINKS */
#define OPENAT2_RETRIES 32 /* EAGAIN: a rename or mount raced the lookup */

/* -1 unknown, 0 openat2 usable, 1 fallback (ENOSYS seen or forced). A cache
 * of a fact about the kernel, not state: the one static of this module. */
static int fallback_state = -1;

int safepath_openat2(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {.flags = (uint64_t)flags, .resolve = resolve};

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		how.mode = 0644;
	long r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (r < 0 && errno == ENOSYS)
		fallback_state = 1;
	return (int)r;
}

bool safepath_use_fallback(void)
{
	if (fallback_state < 0) {
		const char *e = getenv("BERTH_SAFEPATH_FALLBACK");
		fallback_state = e && strcmp(e, "1") == 0;
	}
	return fallback_state == 1;
}

void safepath_force_fallback(bool on)
{
	fallback_state = on ? 1 : 0;
}

const char *safepath_fdpath(int fd, char buf[SAFEPATH_FDPATH_MAX])
{
	snprintf(buf, SAFEPATH_FDPATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

/* ---- the walk ---- */

struct walk {
	int *stack; /* stack[0] is a dup of the root; stack[depth-1] the current dir */
	size_t depth;
	size_t cap;
	char *rest; /* unresolved remainder, owned */
	int links;
};

static void walk_free(struct walk *w)
{
	for (size_t i = 1; i < w->depth; i++)
		close(w->stack[i]);
	free(w->stack);
	free(w->rest);
}

static int walk_push(struct walk *w, int fd)
{
	if (w->depth == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 16;
		int *n = realloc(w->stack, ncap * sizeof(*n));
		if (!n) {
			close(fd);
			errno = ENOMEM;
			return -1;
		}
		w->stack = n;
		w->cap = ncap;
	}
	w->stack[w->depth++] = fd;
	return 0;
}

static void walk_to_root(struct walk *w)
{
	while (w->depth > 1)
		close(w->stack[--w->depth]);
}

/* Replace the remainder with "<target>/<rest after the link>". */
static int walk_splice(struct walk *w, const char *target, const char *after)
{
	size_t tl = strlen(target), al = strlen(after);
	char *n = malloc(tl + al + 2);

	if (!n) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(n, target, tl);
	n[tl] = '/';
	memcpy(n + tl + 1, after, al + 1);
	free(w->rest);
	w->rest = n;
	if (target[0] == '/')
		walk_to_root(w);
	return 0;
}

/* Create the missing component `name` in `dir`: a directory, or (last and
 * last_is_file) an empty file. EEXIST is fine: someone made it meanwhile,
 * and the caller opens it again with O_NOFOLLOW. */
static int create_component(int dir, const char *name, mode_t mode, bool as_file)
{
	if (as_file) {
		int fd =
		    openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return errno == EEXIST ? 0 : -1;
		close(fd);
		return 0;
	}
	if (mkdirat(dir, name, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Resolve `path` inside rootfd; the result is an O_PATH fd of the last
 * component (a symlink itself when nofollow_last). With `create`, missing
 * components are created. Returns -1 with errno. */
static int walk_resolve(int rootfd, const char *path, bool nofollow_last, bool create, mode_t mode,
			bool last_is_file, int *parent_out, char *name_out)
{
	struct walk w = {0};
	int ret = -1;
	char name[NAME_MAX + 1];

	if (walk_push(&w, rootfd) < 0)
		return -1;
	w.rest = strdup(path);
	if (!w.rest) {
		errno = ENOMEM;
		goto out;
	}
	for (;;) {
		char *p = w.rest;
		while (*p == '/')
			p++;
		if (*p == '\0') {
			/* the path named a directory (root, or ends in "/" or "..") */
			if (parent_out)
				name_out[0] = '\0';
			ret = openat(w.stack[w.depth - 1], ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
			goto out;
		}
		char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		char *after = end;
		while (*after == '/')
			after++;
		bool last = *after == '\0';
		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto out;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		/* keep "after" alive while w.rest may be replaced */
		_cleanup_free_ char *after_copy = strdup(after);
		if (!after_copy) {
			errno = ENOMEM;
			goto out;
		}
		free(w.rest);
		w.rest = steal_ptr(&after_copy);

		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			if (w.depth > 1)
				close(w.stack[--w.depth]);
			continue;
		}

		int dir = w.stack[w.depth - 1];
		int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && create) {
			if (create_component(dir, name, mode, last && last_is_file) < 0)
				goto out;
			fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0)
			goto out;

		struct stat st;
		if (fstat(fd, &st) < 0) {
			close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode) && !(last && nofollow_last)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (n < 0)
				goto out;
			target[n] = '\0';
			if (++w.links > MAX_SYMLINKS) {
				errno = ELOOP;
				goto out;
			}
			if (walk_splice(&w, target, w.rest) < 0)
				goto out;
			continue;
		}
		if (last) {
			if (parent_out) {
				*parent_out = fcntl(dir, F_DUPFD_CLOEXEC, 3);
				if (*parent_out < 0) {
					close(fd);
					goto out;
				}
				strcpy(name_out, name);
			}
			ret = fd;
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			errno = ENOTDIR;
			goto out;
		}
		if (walk_push(&w, fd) < 0)
			goto out;
	}
out:
	walk_free(&w);
	return ret;
}

/* Turn the walk's O_PATH fd into one opened with `flags`, by reopening the
 * final name in the directory the walk found it in, with O_NOFOLLOW, and
 * checking it is the same inode (a swap between the two opens fails instead
 * of redirecting). */
static int reopen_checked(int opath_fd, int dir, const char *name, int flags)
{
	struct stat a, b;
	int fd;

	if (name[0] == '\0')
		fd = openat(opath_fd, ".", (flags & ~O_NOFOLLOW) | O_CLOEXEC);
	else
		fd = openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &a) < 0 || fstat(opath_fd, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

int safepath_open(int rootfd, const char *path, int flags, struct berth_error *err)
{
	bool nofollow = flags & O_NOFOLLOW;

	if (!safepath_use_fallback()) {
		for (int i = 0; i < OPENAT2_RETRIES; i++) {
			int fd = safepath_openat2(rootfd, path, flags | O_CLOEXEC,
						  RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
			if (fd >= 0)
				return fd;
			if (errno == EAGAIN)
				continue;
			if (errno == ENOSYS)
				break;
			return berr_sys(err, errno, "open %s inside the rootfs", path);
		}
		if (!safepath_use_fallback())
			return berr_sys(err, EAGAIN, "open %s inside the rootfs", path);
	}

	_cleanup_close_ int dir = -1;
	char name[NAME_MAX + 1];
	_cleanup_close_ int opath =
	    walk_resolve(rootfd, path, nofollow, false, 0, false, &dir, name);
	if (opath < 0)
		return berr_sys(err, errno, "open %s inside the rootfs", path);
	if ((flags & O_PATH) || (flags & O_ACCMODE) == O_RDONLY) {
		struct stat st;
		if ((flags & O_DIRECTORY) && (fstat(opath, &st) < 0 || !S_ISDIR(st.st_mode)))
			return berr_sys(err, ENOTDIR, "open %s inside the rootfs", path);
		if (flags & O_PATH)
			return steal_fd(&opath);
	}
	/* The walk resolved every symlink; reopen the final name itself. */
	int fd = reopen_checked(opath, dir, name, flags);
	if (fd < 0)
		return berr_sys(err, errno, "open %s inside the rootfs", path);
	return fd;
}

int safepath_mkdir_p(int rootfd, const char *path, mode_t mode, bool last_is_file,
		     struct berth_error *err)
{
	int fd;

	/* Fast path: everything exists (the common case for /proc, /sys, /dev). */
	if (!safepath_use_fallback()) {
		fd = safepath_openat2(rootfd, path, O_PATH | O_CLOEXEC,
				      RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT && errno != ENOSYS && errno != EAGAIN)
			return berr_sys(err, errno, "open %s inside the rootfs", path);
	}
	fd = walk_resolve(rootfd, path, false, true, mode, last_is_file, NULL, NULL);
	if (fd < 0)
		return berr_sys(err, errno, "create %s inside the rootfs", path);
	return fd;
}

int safepath_open_parent(int rootfd, const char *path, bool create, char *name,
			 struct berth_error *err)
{
	_cleanup_free_ char *dup = strdup(path);
	char *slash;

	if (!dup)
		return berr_sys(err, ENOMEM, "%s", path);
	/* strip trailing slashes, then split at the last one */
	size_t l = strlen(dup);
	while (l > 1 && dup[l - 1] == '/')
		dup[--l] = '\0';
	slash = strrchr(dup, '/');
	const char *base = slash ? slash + 1 : dup;
	if (strlen(base) > NAME_MAX)
		return berr_sys(err, ENAMETOOLONG, "%s", path);
	if (strcmp(base, "..") == 0 || strcmp(base, ".") == 0)
		return berr_set(err, "%s: path must not end in \".\" or \"..\"", path);
	strcpy(name, base);
	if (slash)
		slash[1] = '\0';
	else
		dup[0] = '\0';
	const char *dirpath = dup[0] ? dup : "/";
	if (create)
		return safepath_mkdir_p(rootfd, dirpath, 0755, false, err);
	return safepath_open(rootfd, dirpath, O_PATH | O_DIRECTORY, err);
}
