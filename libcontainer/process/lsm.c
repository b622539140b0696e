/* lsm.c - AppArmor profile and SELinux label of the container process.
 *
 * Detection follows runc: AppArmor is on when securityfs shows it and the
 * module parameter says Y; SELinux when selinuxfs is mounted at
 * /sys/fs/selinux. The exec label is written in the child right before
 * execve, through procfs_write, never via a plain open() of /proc. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "lsm.h"
#include "libcontainer/rootfs/rootfs.h"

#define SELINUX_MAGIC 0xf97cff8c

bool lsm_apparmor_enabled(void)
{
	struct stat st;
	if (stat("/sys/kernel/security/apparmor", &st) < 0)
		return false;
	_cleanup_close_ int fd =
	    open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char c = 0;
	return read(fd, &c, 1) == 1 && c == 'Y';
}

bool lsm_selinux_enabled(void)
{
	struct statfs sfs;
	return statfs("/sys/fs/selinux", &sfs) == 0 && (unsigned long)sfs.f_type == SELINUX_MAGIC;
}

static bool nonempty(const char *s)
{
	return s && *s;
}

int lsm_check(const struct berth_process *p, struct berth_error *err)
{
	if (nonempty(p->apparmor_profile) && !lsm_apparmor_enabled())
		return berr_set(
		    err,
		    "process.apparmorProfile: profile \"%s\" requested, but AppArmor is "
		    "not enabled on this host",
		    p->apparmor_profile);
	if (nonempty(p->selinux_label) && !lsm_selinux_enabled())
		return berr_set(err,
				"process.selinuxLabel: label \"%s\" requested, but SELinux is not "
				"enabled on this host",
				p->selinux_label);
	return 0;
}

static int apply_apparmor(const char *profile, int procfd, struct berth_error *err)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "exec %s", profile);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return berr_set(err, "process.apparmorProfile: too long");
	/* The LSM-specific directory exists since 5.8; older kernels only have
	 * the shared attr/exec. */
	struct berth_error first = {0};
	if (procfs_write(procfd, "thread-self/attr/apparmor/exec", buf, &first) == 0)
		return 0;
	if (first.errnum != ENOENT) {
		*err = first;
		return berr_prefix(err, "process.apparmorProfile: set \"%s\"", profile);
	}
	if (procfs_write(procfd, "thread-self/attr/exec", buf, err) < 0)
		return berr_prefix(err, "process.apparmorProfile: set \"%s\"", profile);
	return 0;
}

int lsm_apply_exec(const struct berth_process *p, int procfd, struct berth_error *err)
{
	if (nonempty(p->apparmor_profile) && apply_apparmor(p->apparmor_profile, procfd, err) < 0)
		return -1;
	if (nonempty(p->selinux_label) &&
	    procfs_write(procfd, "thread-self/attr/exec", p->selinux_label, err) < 0)
		return berr_prefix(err, "process.selinuxLabel: set \"%s\"", p->selinux_label);
	return 0;
}
