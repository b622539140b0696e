/* devices.c - device nodes, /dev symlinks and the console inside the rootfs. */
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "mounts.h"
#include "safepath.h"

#define UNIX98_PTY_SLAVE_MAJOR_FIRST 136
#define UNIX98_PTY_SLAVE_MAJOR_LAST  143

static const struct berth_device default_devices[] = {
    {.path = "/dev/null", .type = 'c', .major = 1, .minor = 3},
    {.path = "/dev/zero", .type = 'c', .major = 1, .minor = 5},
    {.path = "/dev/full", .type = 'c', .major = 1, .minor = 7},
    {.path = "/dev/random", .type = 'c', .major = 1, .minor = 8},
    {.path = "/dev/urandom", .type = 'c', .major = 1, .minor = 9},
    {.path = "/dev/tty", .type = 'c', .major = 5, .minor = 0},
};

static const struct {
	const char *target;
	const char *path;
} dev_symlinks[] = {
    {"/proc/self/fd", "/dev/fd"},
    {"/proc/self/fd/0", "/dev/stdin"},
    {"/proc/self/fd/1", "/dev/stdout"},
    {"/proc/self/fd/2", "/dev/stderr"},
};

static mode_t type_bits(char type)
{
	switch (type) {
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	default: /* 'c' and 'u' */
		return S_IFCHR;
	}
}

/* Where mknod is not allowed: bind the host's node of the same path, after
 * checking it is the device the config names. */
static int bind_host_device(int rootfd, const struct berth_device *d, struct berth_error *err)
{
	_cleanup_close_ int src = open(d->path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (src < 0)
		return berr_sys(err, errno, "open host %s", d->path);
	if (fstat(src, &st) < 0)
		return berr_sys(err, errno, "fstat host %s", d->path);
	if ((st.st_mode & S_IFMT) != type_bits(d->type) ||
	    (d->type != 'p' &&
	     (major(st.st_rdev) != (unsigned)d->major || minor(st.st_rdev) != (unsigned)d->minor)))
		return berr_set(err, "host %s is not device %c %lld:%lld", d->path, d->type,
				(long long)d->major, (long long)d->minor);
	_cleanup_close_ int dst = safepath_mkdir_p(rootfd, d->path, 0755, true, err);
	if (dst < 0)
		return -1;
	if (fstat(dst, &st) < 0)
		return berr_sys(err, errno, "fstat %s", d->path);
	if (S_ISDIR(st.st_mode))
		return berr_set(err, "%s is a directory", d->path);
	_cleanup_close_ int tree = mounts_bind_fd(src, dst, false, NULL, NULL, err);
	return tree < 0 ? -1 : 0;
}

/* The directory a device or link goes in, and its last component: the
 * /dev fd opened once for the common case of a name right in /dev, a
 * checked walk otherwise. *owned says whether the caller closes it. */
static int parent_of(int rootfd, int devfd, const char *path, char *name, bool *owned,
		     struct berth_error *err)
{
	const char *base = strncmp(path, "/dev/", 5) == 0 ? path + 5 : NULL;

	if (devfd >= 0 && base && *base && !strchr(base, '/') && strcmp(base, ".") != 0 &&
	    strcmp(base, "..") != 0 && strlen(base) <= NAME_MAX) {
		strcpy(name, base);
		*owned = false;
		return devfd;
	}
	*owned = true;
	return safepath_open_parent(rootfd, path, true, name, err);
}

/* Called with umask 0 (devices_setup): the mode must be exact. */
static int make_node(int rootfd, int devfd, const struct berth_device *d, struct berth_error *err)
{
	char name[NAME_MAX + 1];
	bool owned;
	int dir = parent_of(rootfd, devfd, d->path, name, &owned, err);
	_cleanup_close_ int dir_owned = owned ? dir : -1;
	mode_t mode = d->has_file_mode ? (d->file_mode & 07777) : 0666;
	struct stat st;

	if (dir < 0)
		return -1;
	int r = mknodat(dir, name, mode | type_bits(d->type),
			makedev((unsigned)d->major, (unsigned)d->minor));
	int e = errno;
	if (r < 0 && e == EEXIST) {
		/* runc leaves an existing node alone; it must not be a symlink */
		if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return berr_sys(err, errno, "stat %s", d->path);
		if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
			return berr_set(err, "%s exists and is not a device node", d->path);
		return 0;
	}
	if (r < 0)
		return berr_sys(err, e, "mknod %s", d->path);
	if (!d->has_uid && !d->has_gid)
		return 0;
	/* chown the node made, by fd: the name may point elsewhere by now */
	_cleanup_close_ int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return berr_sys(err, errno, "open %s", d->path);
	if ((st.st_mode & S_IFMT) != type_bits(d->type) ||
	    (d->type != 'p' && st.st_rdev != makedev((unsigned)d->major, (unsigned)d->minor)))
		return berr_set(err, "%s was replaced after mknod", d->path);
	if (fchownat(fd, "", d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0, AT_EMPTY_PATH) < 0)
		return berr_sys(err, errno, "chown %s", d->path);
	return 0;
}

static int create_device(int rootfd, int devfd, const struct berth_device *d, bool in_userns,
			 struct berth_error *err)
{
	int r = in_userns ? bind_host_device(rootfd, d, err) : make_node(rootfd, devfd, d, err);
	return r < 0 ? berr_prefix(err, "device %s", d->path) : 0;
}

/* A /dev symlink. An existing entry is kept, unless `replace`: /dev/ptmx
 * made by mknod in an image is replaced, as runc does. */
static int dev_symlink(int rootfd, int devfd, const char *target, const char *path, bool replace,
		       struct berth_error *err)
{
	char name[NAME_MAX + 1];
	bool owned;
	int dir = parent_of(rootfd, devfd, path, name, &owned, err);
	_cleanup_close_ int dir_owned = owned ? dir : -1;

	if (dir < 0)
		return -1;
	if (symlinkat(target, dir, name) == 0 || (errno == EEXIST && !replace))
		return 0;
	if (errno != EEXIST)
		return berr_sys(err, errno, "symlink %s", path);
	if (unlinkat(dir, name, 0) < 0 || symlinkat(target, dir, name) < 0)
		return berr_sys(err, errno, "replace %s with a symlink", path);
	return 0;
}

static bool overridden(const struct berth_linux *lx, const char *path)
{
	for (size_t i = 0; i < lx->n_devices; i++)
		if (mounts_path_equal(lx->devices[i].path, path))
			return true;
	return false;
}

static int setup_in(int rootfd, int devfd, const struct berth_linux *lx, bool dev_is_tmpfs,
		    bool in_userns, struct berth_error *err)
{
	if (dev_is_tmpfs) {
		for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
			if (!overridden(lx, default_devices[i].path) &&
			    create_device(rootfd, devfd, &default_devices[i], in_userns, err) < 0)
				return -1;
	}
	for (size_t i = 0; i < lx->n_devices; i++)
		if (create_device(rootfd, devfd, &lx->devices[i], in_userns, err) < 0)
			return -1;
	if (!dev_is_tmpfs)
		return 0;
	if (dev_symlink(rootfd, devfd, "pts/ptmx", "/dev/ptmx", true, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(dev_symlinks) / sizeof(dev_symlinks[0]); i++)
		if (dev_symlink(rootfd, devfd, dev_symlinks[i].target, dev_symlinks[i].path, false,
				err) < 0)
			return -1;
	/* /dev/core only where the kernel has /proc/kcore, as runc */
	if (access("/proc/kcore", F_OK) == 0 &&
	    dev_symlink(rootfd, devfd, "/proc/kcore", "/dev/core", false, err) < 0)
		return -1;
	return 0;
}

int devices_setup(int rootfd, const struct berth_linux *lx, bool dev_is_tmpfs, bool in_userns,
		  struct berth_error *err)
{
	/* /dev checked once: every default node and link goes right in it. A
	 * /dev that is missing or not a directory leaves the per-path walk
	 * to report it. */
	struct berth_error ignored;
	_cleanup_close_ int devfd = safepath_open(rootfd, "/dev", O_PATH | O_DIRECTORY, &ignored);
	/* the init is single-threaded: umask is ours to clear for exact modes */
	mode_t old = umask(0);
	int r = setup_in(rootfd, devfd, lx, dev_is_tmpfs, in_userns, err);

	umask(old);
	return r;
}

int devices_bind_console(int rootfd, int console_fd, struct berth_error *err)
{
	struct statfs sfs;
	struct stat st, pts;

	if (fstatfs(console_fd, &sfs) < 0 || fstat(console_fd, &st) < 0)
		return berr_sys(err, errno, "console: fstat");
	if (sfs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode) ||
	    major(st.st_rdev) < UNIX98_PTY_SLAVE_MAJOR_FIRST ||
	    major(st.st_rdev) > UNIX98_PTY_SLAVE_MAJOR_LAST)
		return berr_set(err, "console: fd %d is not a devpts pty slave", console_fd);
	/* the pty must belong to the container's own devpts instance */
	_cleanup_close_ int ptsfd = safepath_open(rootfd, "/dev/pts", O_PATH | O_DIRECTORY, err);
	if (ptsfd >= 0) {
		if (fstatfs(ptsfd, &sfs) < 0 || fstat(ptsfd, &pts) < 0)
			return berr_sys(err, errno, "console: fstat /dev/pts");
		if (sfs.f_type == DEVPTS_SUPER_MAGIC && pts.st_dev != st.st_dev)
			return berr_set(err, "console: the pty is not on the container's /dev/pts");
	}
	_cleanup_close_ int dst = safepath_mkdir_p(rootfd, "/dev/console", 0755, true, err);
	if (dst < 0)
		return berr_prefix(err, "console");
	if (fstat(dst, &st) < 0)
		return berr_sys(err, errno, "console: fstat /dev/console");
	if (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode))
		return berr_set(err, "console: /dev/console is a %s",
				S_ISDIR(st.st_mode) ? "directory" : "symlink");
	_cleanup_close_ int tree = mounts_bind_fd(console_fd, dst, false, NULL, NULL, err);
	if (tree < 0)
		return berr_prefix(err, "console: bind the pty on /dev/console");
	return 0;
}
