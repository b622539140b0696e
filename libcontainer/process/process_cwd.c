/* process_cwd.c - process.cwd, entered the way runc enters it: first while
 * still root, so that a directory only root may search works for any user
 * (cwd /root with a non-root user, a HOME of /root); when root is refused
 * (root squashed on NFS, a directory owned by an unmapped user in a user
 * namespace), again after the identity change. Both before the seccomp
 * filter: a profile need not allow openat2 or getcwd.
 *
 * Resolved inside the root with no magic links: a cwd such as
 * /proc/self/fd/N must never reach a host directory (CVE-2024-21626). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "identity.h"

static bool refused(int e)
{
	return e == EACCES || e == EPERM;
}

int process_enter_cwd(const struct berth_process *p, bool *done, bool last_try,
		      struct berth_error *err)
{
	struct open_how how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	const char *cwd = p->cwd && *p->cwd ? p->cwd : "/";
	char buf[16];

	if (*done)
		return 0;
	long fd = syscall(SYS_openat2, AT_FDCWD, cwd, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : fchdir((int)fd);
	int saved = errno;
	if (fd >= 0)
		close((int)fd);
	if (rc < 0) {
		if (!last_try && refused(saved))
			return 0; /* try again as the container's user */
		return berr_sys(err, saved, "chdir to cwd (\"%s\") set in config.json failed", cwd);
	}
	/* A directory outside the root (only reachable without openat2)
	 * makes getcwd fail: refuse it. */
	if (!getcwd(buf, sizeof(buf)) && errno != ERANGE)
		return berr_set(err, "cwd (\"%s\") is outside the container root", cwd);
	*done = true;
	return 0;
}
