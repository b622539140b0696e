/* rootfs.c - the rootfs sequence: propagation, self-bind, mounts, devices,
 * console, createContainer hooks, pivot_root, masks, read-only root. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "devices.h"
#include "log.h"
#include "masks.h"
#include "mount_options.h"
#include "mountinfo.h"
#include "mounts.h"
#include "safepath.h"

#ifndef SELINUX_MAGIC
#define SELINUX_MAGIC 0xf97cff8c
#endif

static int root_propagation(const char *name, unsigned long *prop, struct berth_error *err)
{
	const struct mount_option *o;

	*prop = MS_SLAVE | MS_REC;
	if (!name)
		return 0;
	o = mount_option_lookup(name);
	if (!o || o->kind != MOPT_PROPAGATION)
		return berr_set(err, "linux.rootfsPropagation: unknown value \"%s\"", name);
	*prop = o->value;
	return 0;
}

/* pivot_root refuses a new root whose parent mount is shared; with a shared
 * rootfsPropagation make that parent private (runc does the same). */
static int make_parent_private(const char *rootfs, struct berth_error *err)
{
	struct mountinfo mi;
	char best[PATH_MAX] = "/";
	size_t bestlen = 0;

	if (mountinfo_read(&mi, err) < 0)
		return -1;
	for (size_t i = 0; i < mi.n; i++) {
		const char *mp = mi.entries[i].mountpoint;
		size_t l = strlen(mp);
		bool under = strcmp(mp, "/") == 0 || (strncmp(rootfs, mp, l) == 0 &&
						      (rootfs[l] == '/' || rootfs[l] == '\0'));
		if (under && l > bestlen && l < sizeof(best) && strcmp(mp, rootfs) != 0) {
			memcpy(best, mp, l + 1);
			bestlen = l;
		}
	}
	mountinfo_free(&mi);
	if (mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
		return berr_sys(err, errno, "make %s private", best);
	return 0;
}

/* The rootfs bound onto itself (recursively), as an fd of the new mount's
 * root: opening the path again after the bind could find whatever a rename
 * put there meanwhile, not the bind. */
static int bind_rootfs(const char *rootfs, struct berth_error *err)
{
	_cleanup_close_ int dir = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int mnt;

	if (dir < 0)
		return berr_sys(err, errno, "open the rootfs %s", rootfs);
	mnt = mounts_bind_fd(dir, dir, true, NULL, NULL, err);
	if (mnt < 0)
		return berr_prefix(err, "bind the rootfs %s onto itself", rootfs);
	return mnt;
}

static const char *effective_label(const char *label)
{
	struct statfs sfs;

	if (!label || !*label)
		return NULL;
	if (statfs("/sys/fs/selinux", &sfs) == 0 && sfs.f_type == SELINUX_MAGIC)
		return label;
	log_debug("linux.mountLabel ignored: SELinux is not enabled");
	return NULL;
}

static bool has_cgroupns(const struct berth_spec *spec)
{
	for (size_t i = 0; i < spec->linux_.n_namespaces; i++)
		if (spec->linux_.namespaces[i].type == BERTH_NS_CGROUP)
			return true;
	return false;
}

static bool dev_is_tmpfs(const struct berth_spec *spec)
{
	for (size_t i = 0; i < spec->n_mounts; i++)
		if (spec->mounts[i].type && strcmp(spec->mounts[i].type, "tmpfs") == 0 &&
		    mounts_path_equal(spec->mounts[i].destination, "/dev"))
			return true;
	return false;
}

/* cwd is the new root (an fd of the bound rootfs). */
static int enter_root(bool no_pivot, struct berth_error *err)
{
	if (no_pivot) {
		/* for ramdisk roots: pivot_root can't leave initramfs */
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return berr_sys(err, errno, "move the rootfs to /");
		if (chroot(".") < 0)
			return berr_sys(err, errno, "chroot");
	} else {
		_cleanup_close_ int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (oldroot < 0)
			return berr_sys(err, errno, "open the old root");
		/* the old root ends stacked on the new one; detach it from there,
		 * as a slave first so the unmount never propagates to the host */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return berr_sys(err, errno, "pivot_root");
		if (fchdir(oldroot) < 0)
			return berr_sys(err, errno, "chdir to the old root");
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return berr_sys(err, errno, "make the old root a slave");
		if (umount2(".", MNT_DETACH) < 0)
			return berr_sys(err, errno, "detach the old root");
	}
	if (chdir("/") < 0)
		return berr_sys(err, errno, "chdir /");
	return 0;
}

static int before_pivot_steps(const struct rootfs_config *cfg, int rootfd, const char *label,
			      struct berth_error *err)
{
	const struct berth_spec *spec = cfg->spec;
	struct mounts_ctx mc = {
	    .rootfd = rootfd,
	    .in_userns = cfg->in_userns,
	    .cgroupns = has_cgroupns(spec),
	    .mount_label = label,
	    .before_cgroup = cfg->before_cgroup_mount,
	    .before_cgroup_arg = cfg->before_pivot_arg,
	};

	for (size_t i = 0; i < spec->n_mounts; i++)
		if (mounts_apply(&mc, &spec->mounts[i], i, err) < 0)
			return -1;
	if (devices_setup(rootfd, &spec->linux_, dev_is_tmpfs(spec), cfg->in_userns, err) < 0)
		return -1;
	if (cfg->console_fd >= 0 && devices_bind_console(rootfd, cfg->console_fd, err) < 0)
		return -1;
	/* A missing process.cwd is created inside the root, as runc does. */
	if (spec->has_process && spec->process.cwd && strcmp(spec->process.cwd, "/") != 0) {
		int fd = safepath_mkdir_p(rootfd, spec->process.cwd, 0755, false, err);
		if (fd < 0)
			return berr_prefix(err, "process.cwd %s", spec->process.cwd);
		close(fd);
	}
	return 0;
}

static int after_pivot_steps(const struct rootfs_config *cfg, int nullfd, const char *label,
			     struct berth_error *err)
{
	const struct berth_linux *lx = &cfg->spec->linux_;
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return berr_sys(err, errno, "open the new root");
	if (lx->n_masked_paths &&
	    masks_apply_masked(root, nullfd, lx->masked_paths, lx->n_masked_paths, label, err) < 0)
		return -1;
	if (lx->n_readonly_paths &&
	    masks_apply_readonly(root, lx->readonly_paths, lx->n_readonly_paths, err) < 0)
		return -1;
	if (cfg->spec->root.readonly) {
		/* the root mount only, as runc: binds below keep their own flags */
		struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
		if (mount_setattr(root, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
			return berr_sys(err, errno, "make the root read-only");
	}
	return 0;
}

int rootfs_setup(const struct rootfs_config *cfg, struct berth_error *err)
{
	const struct berth_spec *spec = cfg->spec;
	_cleanup_close_ int rootfd = -1, nullfd = -1;
	const char *label = effective_label(spec->linux_.mount_label);
	unsigned long prop;

	if (!cfg->rootfs || cfg->rootfs[0] != '/')
		return berr_set(err, "rootfs must be an absolute path");
	if (root_propagation(spec->linux_.rootfs_propagation, &prop, err) < 0)
		return -1;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return berr_sys(err, errno, "set / propagation");
	if ((prop & MS_SHARED) && make_parent_private(cfg->rootfs, err) < 0)
		return -1;
	rootfd = bind_rootfs(cfg->rootfs, err);
	if (rootfd < 0)
		return -1;

	if (before_pivot_steps(cfg, rootfd, label, err) < 0)
		return -1;
	/* the container's null device, checked, before any hook could swap it */
	if (spec->linux_.n_masked_paths) {
		nullfd = masks_open_null(rootfd, err);
		if (nullfd < 0)
			return berr_prefix(err, "maskedPaths");
	}
	if (cfg->before_pivot && cfg->before_pivot(cfg->before_pivot_arg, err) < 0)
		return -1;
	if (fchdir(rootfd) < 0)
		return berr_sys(err, errno, "chdir to the rootfs");
	if (enter_root(cfg->no_pivot, err) < 0)
		return -1;
	/* the self-bind was made under a private parent: give the new root the
	 * propagation the config asks for */
	if (spec->linux_.rootfs_propagation && mount(NULL, "/", NULL, prop, NULL) < 0)
		return berr_sys(err, errno, "set the new root's propagation");
	return after_pivot_steps(cfg, nullfd, label, err);
}

int rootfs_bind_console(int console_fd, struct berth_error *err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return berr_sys(err, errno, "open /");
	return devices_bind_console(root, console_fd, err);
}
