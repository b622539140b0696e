/* exeseal.c - re-executing berth from a binary the container can't write:
 * a read-only detached mount of it, or a sealed memfd copy. */
#include "exeseal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

extern char **environ;

/* Set in the environment of a sealed re-execution, for exeseal_take_reexec_mark. */
#define REEXEC_MARK "_BERTH_EXESEALED"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static bool maps_uid(const struct berth_id_mapping *m, size_t n, uint32_t uid)
{
	for (size_t i = 0; i < n; i++)
		if (uid >= m[i].host_id && uid - m[i].host_id < m[i].size)
			return true;
	return false;
}

static bool has_cap(char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], name) == 0 || strcasecmp(v[i], name + 4) == 0)
			return true;
	return false;
}

static bool can_hold(const struct berth_spec *spec, uint64_t extra, int cap, const char *name)
{
	const struct berth_capabilities *c = &spec->process.capabilities;

	return has_cap(c->bounding, c->n_bounding, name) || (extra & (1ULL << cap));
}

/* chattr +i: nobody may open the file for writing, root included, unless
 * they first clear the flag, which takes CAP_LINUX_IMMUTABLE. */
static bool binary_is_immutable(int fd)
{
	int flags = 0;

	return ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL);
}

enum exeseal_mode exeseal_needed(const struct berth_spec *spec, uint64_t extra_caps)
{
	const struct berth_namespace *user = berth_spec_namespace(spec, BERTH_NS_USER);
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return EXESEAL_MEMFD;
	if (!can_hold(spec, extra_caps, CAP_LINUX_IMMUTABLE, "CAP_LINUX_IMMUTABLE") &&
	    binary_is_immutable(fd))
		return EXESEAL_NONE;
	/* A user namespace of its own: only a mapped host root or owner could write. */
	if (user && !(user->path && *user->path) &&
	    !maps_uid(spec->linux_.uid_mappings, spec->linux_.n_uid_mappings, 0) &&
	    !maps_uid(spec->linux_.uid_mappings, spec->linux_.n_uid_mappings, st.st_uid))
		return EXESEAL_NONE;
	/* CAP_SYS_ADMIN could remount a read-only mount; not unseal a memfd. */
	return can_hold(spec, extra_caps, CAP_SYS_ADMIN, "CAP_SYS_ADMIN") ? EXESEAL_MEMFD
									  : EXESEAL_RO_MOUNT;
}

bool exeseal_is_sealed(enum exeseal_mode mode)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct statvfs sv;

	if (mode == EXESEAL_NONE)
		return true;
	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0 && (seals & SEALS) == SEALS)
		return true;
	return mode == EXESEAL_RO_MOUNT && fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

/* A detached, read-only mount of the binary alone: no copy, shared pages. */
static int ro_mount_of_self(void)
{
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	if (fd < 0)
		return -1;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int sealed_copy_of_self(struct berth_error *err)
{
	_cleanup_close_ int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int mem = -1;
	struct stat st;

	if (exe < 0 || fstat(exe, &st) < 0)
		return berr_sys(err, errno, "open /proc/self/exe");
	mem = memfd_create("berth", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mem < 0)
		return berr_sys(err, errno, "memfd_create");
	for (off_t off = 0; off < st.st_size;) {
		ssize_t n = sendfile(mem, exe, &off, (size_t)(st.st_size - off));
		if (n <= 0)
			return berr_sys(err, n < 0 ? errno : EIO, "copy berth's binary");
	}
	if (fcntl(mem, F_ADD_SEALS, SEALS) < 0)
		return berr_sys(err, errno, "seal berth's binary copy");
	return steal_fd(&mem);
}

int exeseal_reexec(enum exeseal_mode mode, char **argv, struct berth_error *err)
{
	/* open_tree needs CAP_SYS_ADMIN: without it (rootless) the copy it is. */
	int fd = mode == EXESEAL_RO_MOUNT ? ro_mount_of_self() : -1;

	if (fd < 0)
		fd = sealed_copy_of_self(err);
	if (fd < 0)
		return -1;
	if (setenv(REEXEC_MARK, "1", 1) < 0) {
		int e = errno;
		close(fd);
		return berr_sys(err, e, "setenv");
	}
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	int e = errno;
	unsetenv(REEXEC_MARK);
	close(fd);
	return berr_sys(err, e, "re-execute berth from a protected binary");
}

bool exeseal_take_reexec_mark(void)
{
	bool marked = getenv(REEXEC_MARK) != NULL;

	unsetenv(REEXEC_MARK);
	return marked;
}

int exeseal_ensure(const struct berth_spec *spec, uint64_t extra_caps, char **argv,
		   struct berth_error *err)
{
	enum exeseal_mode mode = exeseal_needed(spec, extra_caps);

	if (!argv || exeseal_is_sealed(mode))
		return 0;
	return exeseal_reexec(mode, argv, err);
}
