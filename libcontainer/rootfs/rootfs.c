/* rootfs.c - the rootfs sequence: propagation, self-bind, mounts, devices,
 * console, createContainer hooks, pivot_root, masks, read-only root. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "devices.h"
#include "libcontainer/log.h"
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

/* The mount holding the rootfs (the rootfs itself when it is a mount
 * point), made private when it is shared: pivot_root refuses a new root
 * whose parent is shared, and a self-bind of a shared mount joins its peer
 * group, which would carry every mount made below it to the host. A slave
 * stays one, as with runc: a slave or rslave root still receives the
 * host's mounts. */
static int make_parent_private(const char *rootfs, struct berth_error *err)
{
	struct mountinfo mi;
	char best[PATH_MAX] = "/";
	size_t bestlen = 0;
	bool shared = false;

	if (mountinfo_read(&mi, err) < 0)
		return -1;
	for (size_t i = 0; i < mi.n; i++) {
		const char *mp = mi.entries[i].mountpoint;
		size_t l = strlen(mp);
		bool under = strcmp(mp, "/") == 0 || (strncmp(rootfs, mp, l) == 0 &&
						      (rootfs[l] == '/' || rootfs[l] == '\0'));
		/* ">=": of mounts stacked on one point, the later is on top */
		if (under && l >= bestlen && l < sizeof(best)) {
			memcpy(best, mp, l + 1);
			bestlen = l;
			shared = mi.entries[i].shared;
		}
	}
	mountinfo_free(&mi);
	if (shared && mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
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

static bool path_under(const char *path, const char *dir)
{
	size_t l = strlen(dir);

	return strncmp(path, dir, l) == 0 && (path[l] == '/' || path[l] == '\0');
}

/* Without pivot_root the host's mounts stay in the container's namespace,
 * out of sight but counted: a whole procfs or sysfs among them lets the
 * kernel allow a fresh, unmasked procfs or sysfs in a user namespace made
 * inside the container. Detach each (a slave first, so the unmount stays
 * here), or cover it with a tmpfs where detaching is refused; runc does the
 * same. */
static int detach_host_pseudofs(const char *rootfs, struct berth_error *err)
{
	struct mountinfo mi;
	int rc = 0;

	if (mountinfo_read(&mi, err) < 0)
		return -1;
	for (size_t i = 0; i < mi.n && rc == 0; i++) {
		const struct mountinfo_entry *e = &mi.entries[i];
		if (strcmp(e->root, "/") != 0 || path_under(e->mountpoint, rootfs) ||
		    (strcmp(e->fstype, "proc") != 0 && strcmp(e->fstype, "sysfs") != 0))
			continue;
		if (mount(NULL, e->mountpoint, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
			if (errno == ENOENT) /* under one detached already */
				continue;
			rc = berr_sys(err, errno, "make %s a slave", e->mountpoint);
		} else if (umount2(e->mountpoint, MNT_DETACH) < 0) {
			if ((errno != EINVAL && errno != EPERM) ||
			    mount("tmpfs", e->mountpoint, "tmpfs", 0, NULL) < 0)
				rc = berr_sys(err, errno, "detach the host's %s", e->mountpoint);
		}
	}
	mountinfo_free(&mi);
	return rc;
}

/* cwd is the new root (an fd of the bound rootfs). */
static int enter_root(const struct rootfs_config *cfg, struct berth_error *err)
{
	const char *rootfs = cfg->rootfs;

	if (cfg->host_mountns) {
		/* the host's mount table is not ours to rearrange: chroot only */
		if (chroot(".") < 0)
			return berr_sys(err, errno, "chroot");
	} else if (cfg->no_pivot) {
		if (detach_host_pseudofs(rootfs, err) < 0)
			return -1;
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

/* late_ro[i]: an fd of mounts[i] when it is made read-only after the mounts
 * below it and the devices (mounts_ro_waits), else -1. */
static int before_pivot_steps(const struct rootfs_config *cfg, int rootfd, const char *label,
			      int *late_ro, struct berth_error *err)
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

	for (size_t i = 0; i < spec->n_mounts; i++) {
		int *late = mounts_ro_waits(spec->mounts, spec->n_mounts, i) ? &late_ro[i] : NULL;
		if (mounts_apply(&mc, &spec->mounts[i], i, late, err) < 0)
			return -1;
	}
	if (devices_setup(rootfd, &spec->linux_, dev_is_tmpfs(spec), cfg->in_userns, err) < 0)
		return -1;
	if (cfg->console_fd >= 0 && devices_bind_console(rootfd, cfg->console_fd, err) < 0)
		return -1;
	for (size_t i = 0; i < spec->n_mounts; i++) {
		struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
		if (late_ro[i] >= 0 &&
		    mount_setattr(late_ro[i], "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
			return berr_sys(err, errno, "mounts[%zu] (%s): make it read-only", i,
					spec->mounts[i].destination);
	}
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
	_cleanup_free_ int *late_ro = NULL;
	unsigned long prop;

	if (!cfg->rootfs || cfg->rootfs[0] != '/')
		return berr_set(err, "rootfs must be an absolute path");
	if (root_propagation(spec->linux_.rootfs_propagation, &prop, err) < 0)
		return -1;
	/* Without pivot_root the host's mounts stay in the namespace: a
	 * private root would keep them busy after the host unmounts them. */
	if (cfg->no_pivot && (prop & MS_PRIVATE))
		return berr_set(err,
				"rootfsPropagation of [r]private is not safe without pivot_root");
	/* An unbindable / could not be bound below: the rootfs gets it after
	 * the pivot, until then it is a slave like the default. In the host's
	 * own namespace / and the rootfs's parent stay as they are. */
	unsigned long root_prop = (prop & MS_UNBINDABLE) ? MS_SLAVE | MS_REC : prop;
	if (!cfg->host_mountns && mount(NULL, "/", NULL, root_prop, NULL) < 0)
		return berr_sys(err, errno, "set / propagation");
	/* As runc: a non-recursive or shared value leaves the mount holding the
	 * rootfs shared with the host's, and every mount below would appear
	 * there too. After a recursive slave or private no mount is shared, so
	 * the default skips this mountinfo scan (it grows with the host's
	 * mounts, on every run). */
	bool none_shared = (root_prop & MS_REC) && (root_prop & (MS_SLAVE | MS_PRIVATE));
	if (!cfg->host_mountns && !none_shared && make_parent_private(cfg->rootfs, err) < 0)
		return -1;
	rootfd = bind_rootfs(cfg->rootfs, err);
	if (rootfd < 0)
		return -1;

	late_ro = malloc((spec->n_mounts ? spec->n_mounts : 1) * sizeof(*late_ro));
	if (!late_ro)
		return berr_sys(err, ENOMEM, "mounts");
	for (size_t i = 0; i < spec->n_mounts; i++)
		late_ro[i] = -1;
	int rc = before_pivot_steps(cfg, rootfd, label, late_ro, err);
	for (size_t i = 0; i < spec->n_mounts; i++)
		if (late_ro[i] >= 0)
			close(late_ro[i]);
	if (rc < 0)
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
	if (enter_root(cfg, err) < 0)
		return -1;
	if (after_pivot_steps(cfg, nullfd, label, err) < 0)
		return -1;
	/* The self-bind may have been made under a private parent: give the
	 * new root the propagation the config asks for. Last, because the
	 * masks bind below it and an unbindable tree refuses that. */
	if (spec->linux_.rootfs_propagation && mount(NULL, "/", NULL, prop, NULL) < 0)
		return berr_sys(err, errno, "set the new root's propagation");
	return 0;
}

int rootfs_bind_console(int console_fd, struct berth_error *err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return berr_sys(err, errno, "open /");
	return devices_bind_console(root, console_fd, err);
}
