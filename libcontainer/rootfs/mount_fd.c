/* mount_fd.c - the steps every kind of mount entry takes, each on an fd:
 * MS_* flags as mount_setattr attributes, a detached bind or tmpfs attached
 * on a checked destination, propagation, and the destination itself opened
 * (made when missing) inside the rootfs. A leaf of the mounts files: mounts.c
 * and mount_cgroup.c call it, it calls neither. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "mounts_internal.h"
#include "newmount.h"
#include "safepath.h"

#define MS_PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

/* ---- MS_* flags to mount_setattr attributes ---- */

void mounts_flags_to_attr(unsigned long set, unsigned long clear, struct mount_attr *a)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
	    {MS_RDONLY, MOUNT_ATTR_RDONLY},	    {MS_NOSUID, MOUNT_ATTR_NOSUID},
	    {MS_NODEV, MOUNT_ATTR_NODEV},	    {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
	    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
	};

	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (set & map[i].ms)
			a->attr_set |= map[i].attr;
		else if (clear & map[i].ms)
			a->attr_clr |= map[i].attr;
	}
	/* atime is one mode, set only with the whole mask cleared */
	if (set & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
		a->attr_clr |= MOUNT_ATTR__ATIME;
		a->attr_set |= (set & MS_NOATIME)	? MOUNT_ATTR_NOATIME
			       : (set & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME
							: MOUNT_ATTR_RELATIME;
	}
}

bool mounts_attr_empty(const struct mount_attr *a)
{
	return !a->attr_set && !a->attr_clr && !a->propagation;
}
int mounts_bind_fd(int srcfd, int dstfd, bool recursive, const struct mount_attr *attr,
		   const struct mount_attr *attr_rec, struct berth_error *err)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
	_cleanup_close_ int tree = -1;

	if (recursive)
		flags |= AT_RECURSIVE;
	tree = open_tree(srcfd, "", flags);
	if (tree < 0)
		return berr_sys(err, errno, "clone the bind source");
	if (attr_rec && !mounts_attr_empty(attr_rec) &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, (struct mount_attr *)attr_rec,
			  sizeof(*attr_rec)) < 0)
		return berr_sys(err, errno, "set recursive mount attributes");
	if (attr && !mounts_attr_empty(attr) &&
	    mount_setattr(tree, "", AT_EMPTY_PATH, (struct mount_attr *)attr, sizeof(*attr)) < 0)
		return berr_sys(err, errno, "set mount attributes");
	if (move_mount(tree, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berr_sys(err, errno, "attach the bind mount");
	return steal_fd(&tree);
}

int mounts_tmpfs_fd(int dstfd, uint64_t attrs, const char *data, struct berth_error *err)
{
	_cleanup_close_ int mnt =
	    newmount_create("tmpfs", NULL, data, NULL, 0, (unsigned)attrs, err);

	if (mnt == NEWMOUNT_NO_FSOPEN)
		return berr_sys(err, ENOSYS, "fsopen tmpfs");
	if (mnt < 0)
		return berr_prefix(err, "tmpfs");
	if (move_mount(mnt, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berr_sys(err, errno, "attach tmpfs");
	return steal_fd(&mnt);
}

int mounts_set_propagation(int mntfd, const struct mount_opts *o, struct berth_error *err)
{
	for (size_t i = 0; i < o->n_propagation; i++) {
		unsigned long p = o->propagation[i];
		struct mount_attr a = {.propagation = p & MS_PROPAGATION};
		if (mount_setattr(mntfd, "", AT_EMPTY_PATH | ((p & MS_REC) ? AT_RECURSIVE : 0), &a,
				  sizeof(a)) < 0)
			return berr_sys(err, errno, "set mount propagation");
	}
	return 0;
}
static int check_not_root(int rootfd, int dstfd, const char *dest, struct berth_error *err)
{
	struct stat a, b;

	if (fstat(rootfd, &a) < 0 || fstat(dstfd, &b) < 0)
		return berr_sys(err, errno, "fstat destination");
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return berr_set(err, "destination %s resolves to the rootfs itself", dest);
	return 0;
}

int mounts_open_dest(const struct mounts_ctx *ctx, const char *dest, bool is_dir, bool nofollow,
		     struct berth_error *err)
{
	_cleanup_close_ int fd = safepath_mkdir_p(ctx->rootfd, dest, 0755, !is_dir, err);
	struct stat st;

	if (fd < 0)
		return -1;
	if (nofollow) {
		/* the last component itself, not what it points to */
		close(fd);
		fd = safepath_open(ctx->rootfd, dest, O_PATH | O_NOFOLLOW, err);
		if (fd < 0)
			return -1;
	}
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "fstat %s", dest);
	if (is_dir && !S_ISDIR(st.st_mode))
		return berr_set(err, "%s is not a directory%s", dest,
				S_ISLNK(st.st_mode) ? " (a symlink)" : "");
	if (!is_dir && S_ISDIR(st.st_mode))
		return berr_set(err, "%s is a directory but the source is not", dest);
	if (check_not_root(ctx->rootfd, fd, dest, err) < 0)
		return -1;
	return steal_fd(&fd);
}
