/* exeseal.c - copy /proc/self/exe into a sealed memfd and re-exec it. */
#include "exeseal.h"

#include <errno.h>
#include <linux/fs.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"

extern char **environ;

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

bool exeseal_is_sealed(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	return seals >= 0 && (seals & SEALS) == SEALS;
}

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

/* chattr +i: nobody may open the file for writing, root included, unless
 * they first clear the flag, which takes CAP_LINUX_IMMUTABLE. */
static bool binary_is_immutable(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int flags = 0;

	return fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL);
}

bool exeseal_needed(const struct berth_spec *spec, char *const *extra_caps, size_t n_extra)
{
	const struct berth_namespace *user = berth_spec_namespace(spec, BERTH_NS_USER);
	const struct berth_capabilities *c = &spec->process.capabilities;

	if (!has_cap(c->bounding, c->n_bounding, "CAP_LINUX_IMMUTABLE") &&
	    !has_cap(extra_caps, n_extra, "CAP_LINUX_IMMUTABLE") && binary_is_immutable())
		return false;
	if (!user)
		return true;
	if (user->path && *user->path)
		return true; /* its maps are not ours to see cheaply: be safe */
	/* The container can write the binary if it maps host root or the binary's owner. */
	struct stat st;
	if (stat("/proc/self/exe", &st) < 0)
		return true;
	return maps_uid(spec->linux_.uid_mappings, spec->linux_.n_uid_mappings, 0) ||
	       maps_uid(spec->linux_.uid_mappings, spec->linux_.n_uid_mappings, st.st_uid);
}

int exeseal_reexec(char **argv, struct berth_error *err)
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
	syscall(SYS_execveat, mem, "", argv, environ, AT_EMPTY_PATH);
	return berr_sys(err, errno, "re-execute berth from its sealed copy");
}
