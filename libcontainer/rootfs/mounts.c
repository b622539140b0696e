/* mounts.c - one "mounts" entry: resolve the destination inside the rootfs,
 * make the filesystem (fsopen) or clone the bind source (open_tree) as a
 * detached mount, apply tmpcopyup and the attributes to it by its fd, attach
 * it on the checked destination fd, then set propagation by the same fd.
 * cgroup mounts (mount_cgroup.c), tmpcopyup (mount_tmpcopyup.c) and the
 * user namespace of idmapped mounts (mount_idmap.c) have files of their own. */
#include "mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "mounts_internal.h"
#include "mountinfo.h"
#include "newmount.h"
#include "safepath.h"

#define MS_PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

bool mounts_path_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == '/' && (a[1] == '/' || a[1] == '\0'))
			a++;
		while (*b == '/' && (b[1] == '/' || b[1] == '\0'))
			b++;
		if (*a != *b)
			return false;
		if (*a == '\0')
			return true;
		a++;
		b++;
	}
}

/* path with repeated slashes folded and trailing ones dropped, into out */
static void fold_slashes(const char *path, char out[PATH_MAX])
{
	size_t j = 0;

	for (size_t i = 0; path[i] && j < PATH_MAX - 1; i++)
		if (!(path[i] == '/' && j > 0 && out[j - 1] == '/'))
			out[j++] = path[i];
	while (j > 1 && out[j - 1] == '/')
		j--;
	out[j] = '\0';
}

/* "/proc/x" has prefix "/proc", "//proc//x/" too; "/procx" has not */
static bool path_has_prefix(const char *path, const char *dir)
{
	char p[PATH_MAX], d[PATH_MAX];

	fold_slashes(path, p);
	fold_slashes(dir, d);
	size_t l = strlen(d);
	return strncmp(p, d, l) == 0 && p[l] == '/';
}

/* runc remounts a bind that has any flag besides bind/rbind, and a remount
 * without "ro" is read-write: such a bind of a read-only source is
 * read-write ("implied rw"). A bare bind keeps the source's ro, as runc's. */
static bool implied_rw(const struct mount_opts *o)
{
	return (o->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT)) &&
	       !(o->flags & MS_RDONLY);
}

/* In a user namespace nosuid/nodev/noexec/atime of a mount owned by an
 * outer namespace are locked: asking to clear them fails with EPERM. runc
 * keeps them (read via statvfs); so do we, by not clearing them. */
static void keep_locked_flags(int srcfd, struct mount_attr *a)
{
	struct statvfs sv;

	if (fstatvfs(srcfd, &sv) < 0)
		return;
	/* ro is locked the same way: an implied rw can't undo it there */
	if (sv.f_flag & ST_RDONLY)
		a->attr_clr &= ~(uint64_t)MOUNT_ATTR_RDONLY;
	if (sv.f_flag & ST_NOSUID)
		a->attr_clr &= ~(uint64_t)MOUNT_ATTR_NOSUID;
	if (sv.f_flag & ST_NODEV)
		a->attr_clr &= ~(uint64_t)MOUNT_ATTR_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		a->attr_clr &= ~(uint64_t)MOUNT_ATTR_NOEXEC;
	if (sv.f_flag & (ST_NOATIME | ST_RELATIME)) {
		if (a->attr_clr & MOUNT_ATTR__ATIME) {
			a->attr_clr &= ~(uint64_t)MOUNT_ATTR__ATIME;
			a->attr_set &= ~(uint64_t)MOUNT_ATTR__ATIME;
		}
	}
}

/* ---- /proc destinations ---- */

/* runc's list of /proc files a bind may cover (lxcfs and the like). */
static bool proc_dest_allowed(const char *dest)
{
	static const char *const allowed[] = {
	    "/proc/cpuinfo",
	    "/proc/diskstats",
	    "/proc/meminfo",
	    "/proc/stat",
	    "/proc/swaps",
	    "/proc/uptime",
	    "/proc/loadavg",
	    "/proc/slabinfo",
	    "/proc/pressure/cpu",
	    "/proc/pressure/io",
	    "/proc/pressure/memory",
	    "/proc/net/dev",
	    "/proc/sys/kernel/ns_last_pid",
	};
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (mounts_path_equal(dest, allowed[i]))
			return true;
	return false;
}

/* A mount on something inside a procfs can hide or redirect what berth and
 * the LSMs rely on (CVE-2019-16884): only procfs itself may go there, and
 * binds only onto the allowed files. */
static int check_proc_dest(int dstfd, const char *dest, const char *type, struct berth_error *err)
{
	struct statfs sfs;

	if (fstatfs(dstfd, &sfs) < 0)
		return berr_sys(err, errno, "fstatfs destination");
	bool on_proc = sfs.f_type == PROC_SUPER_MAGIC || path_has_prefix(dest, "/proc");
	if (!on_proc)
		return 0;
	if (type && strcmp(type, "proc") == 0)
		return 0;
	if (proc_dest_allowed(dest))
		return 0;
	return berr_set(err, "%s is inside /proc: refusing to mount over it", dest);
}

/* ---- bind ---- */

static int copy_symlink(int rootfd, int srcfd, const char *dest, struct berth_error *err)
{
	char target[PATH_MAX], name[NAME_MAX + 1];
	ssize_t n = readlinkat(srcfd, "", target, sizeof(target) - 1);

	if (n < 0)
		return berr_sys(err, errno, "readlink source");
	target[n] = '\0';
	_cleanup_close_ int dir = safepath_open_parent(rootfd, dest, true, name, err);
	if (dir < 0)
		return -1;
	if (symlinkat(target, dir, name) < 0 && errno != EEXIST)
		return berr_sys(err, errno, "symlink %s", dest);
	return 0;
}

static int do_bind(const struct mounts_ctx *ctx, const struct berth_mount *m,
		   const struct mount_opts *o, struct berth_error *err)
{
	bool src_nofollow = o->extensions & MOPT_EXT_SRC_NOFOLLOW;
	_cleanup_close_ int src = -1, dst = -1, tree = -1, userns = -1;
	struct mount_attr attr, attr_rec = {.attr_set = o->attr_set, .attr_clr = o->attr_clr};
	struct stat st;

	if (!m->source)
		return berr_set(err, "bind mount without a source");
	src = open(m->source, O_PATH | O_CLOEXEC | (src_nofollow ? O_NOFOLLOW : 0));
	if (src < 0 && errno == ELOOP && (o->extensions & MOPT_EXT_COPY_SYMLINK))
		src = open(m->source, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (src < 0)
		return berr_sys(err, errno, "open source %s", m->source);
	if (fstat(src, &st) < 0)
		return berr_sys(err, errno, "fstat source %s", m->source);
	if (S_ISLNK(st.st_mode) && (o->extensions & MOPT_EXT_COPY_SYMLINK))
		return copy_symlink(ctx->rootfd, src, m->destination, err);

	dst = mounts_open_dest(ctx, m->destination, S_ISDIR(st.st_mode),
			       o->extensions & MOPT_EXT_DST_NOFOLLOW, err);
	if (dst < 0)
		return -1;
	if (check_proc_dest(dst, m->destination, NULL, err) < 0)
		return -1;

	mounts_flags_to_attr(o->flags, o->clear, &attr);
	if (implied_rw(o))
		attr.attr_clr |= MOUNT_ATTR_RDONLY;
	if (ctx->in_userns)
		keep_locked_flags(src, &attr);
	if (o->extensions & (MOPT_EXT_IDMAP | MOPT_EXT_RIDMAP)) {
		userns = mounts_idmap_userns(m, err);
		if (userns < 0)
			return berr_prefix(err, "idmap");
		struct mount_attr *target = (o->extensions & MOPT_EXT_RIDMAP) ? &attr_rec : &attr;
		target->attr_set |= MOUNT_ATTR_IDMAP;
		target->userns_fd = (uint64_t)userns;
	}
	tree = mounts_bind_fd(src, dst, o->flags & MS_REC, &attr, &attr_rec, err);
	if (tree < 0)
		return -1;
	return mounts_set_propagation(tree, o, err);
}

/* ---- other filesystems ---- */

static char *with_label(const char *data, const char *label)
{
	char *out = NULL;

	if (!label)
		return data ? strdup(data) : NULL;
	if (asprintf(&out, "%s%scontext=\"%s\"", data ? data : "", data ? "," : "", label) < 0)
		return NULL;
	return out;
}

static bool type_is(const char *type, const char *name)
{
	return type && strcmp(type, name) == 0;
}

/* What a new filesystem gets before it is attached (or, after mount(2),
 * before anything but berth uses it): the content of the directory it
 * covers (tmpcopyup), read-only when that had to wait for the copy, and the
 * recursive attributes. `mnt` is the new mount's root, `lowerfd` the
 * checked destination under it. */
static int prepare_new_mount(int lowerfd, int mnt, const struct mount_opts *o, bool ro_after_copy,
			     struct berth_error *err)
{
	struct mount_attr rec = {.attr_set = o->attr_set, .attr_clr = o->attr_clr};

	if ((o->extensions & MOPT_EXT_TMPCOPYUP) &&
	    mounts_tmpcopyup(lowerfd, mnt, o->data, err) < 0)
		return -1;
	if (ro_after_copy) {
		struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
		if (mount_setattr(mnt, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
			return berr_sys(err, errno, "make the mount read-only");
	}
	if (!mounts_attr_empty(&rec) &&
	    mount_setattr(mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &rec, sizeof(rec)) < 0)
		return berr_sys(err, errno, "set recursive mount attributes");
	return 0;
}

static bool force_mount2(void)
{
	const char *e = getenv("BERTH_MOUNT_FALLBACK");
	return e && strcmp(e, "1") == 0;
}

static int mount_id(int fd, int *id, struct berth_error *err)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) < 0)
		return berr_sys(err, errno, "statx");
	if (!(sx.stx_mask & STATX_MNT_ID))
		return berr_sys(err, EOPNOTSUPP, "statx: no mount id");
	*id = (int)sx.stx_mnt_id;
	return 0;
}

/* After mount(2) on dst: an fd of the new mount's root. No fd we hold names
 * it ("/proc/self/fd/N" of dst resolves to the directory under the mount,
 * as dst itself does), so it is looked up as dst's current name in dst's
 * parent, and accepted only when it is the one mount that mount(2) added
 * on dst's mount: absent from `before`, present in the table now. */
static int find_new_mount(int dst, int dst_mnt, const struct mountinfo *before,
			  struct berth_error *err)
{
	struct mountinfo now;
	int new_id = -1, got = -1;
	size_t found = 0;
	char link[PATH_MAX], fdp[SAFEPATH_FDPATH_MAX];

	if (mountinfo_read(&now, err) < 0)
		return -1;
	for (size_t i = 0; i < now.n; i++)
		if (now.entries[i].parent == dst_mnt &&
		    !mountinfo_find_id(before, now.entries[i].id)) {
			new_id = now.entries[i].id;
			found++;
		}
	mountinfo_free(&now);
	if (found != 1)
		return berr_set(err, "cannot tell the new mount (%zu candidates)", found);
	ssize_t n = readlink(safepath_fdpath(dst, fdp), link, sizeof(link) - 1);
	if (n < 0)
		return berr_sys(err, errno, "readlink the destination");
	link[n] = '\0';
	const char *name = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	_cleanup_close_ int parent = openat(dst, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		return berr_sys(err, errno, "open the destination's parent");
	_cleanup_close_ int fd =
	    openat(parent, *name ? name : ".", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return berr_sys(err, errno, "open the new mount");
	if (mount_id(fd, &got, err) < 0)
		return -1;
	if (got != new_id)
		return berr_set(err, "the new mount is not under the destination's name any more "
				     "(it was moved): refusing to act on what is there now");
	return steal_fd(&fd);
}

/* The fixups of a mount(2)-made filesystem, on the mount find_new_mount
 * checked; its fd goes to *late_ro when the caller makes it read-only later. */
static int fixup_mount2(int dst, int dst_mnt, const struct mountinfo *before,
			const struct mount_opts *o, bool ro_after_copy, int *late_ro,
			struct berth_error *err)
{
	_cleanup_close_ int mnt = find_new_mount(dst, dst_mnt, before, err);

	if (mnt < 0 || prepare_new_mount(dst, mnt, o, ro_after_copy, err) < 0)
		return -1;
	if (mounts_set_propagation(mnt, o, err) < 0)
		return -1;
	if (late_ro)
		*late_ro = steal_fd(&mnt);
	return 0;
}

/* mount(2) on the checked fd, for flags fsconfig has no name for and where
 * fsopen is refused. Without fixups this is all; with them the new mount is
 * found (and checked) by find_new_mount. */
static int do_fs_mount2(const struct berth_mount *m, const struct mount_opts *o, int dst,
			const char *label, int *late_ro, struct berth_error *err)
{
	bool copyup = o->extensions & MOPT_EXT_TMPCOPYUP;
	unsigned long flags = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	bool ro = flags & MS_RDONLY;
	bool ro_after_copy = ro && copyup && !late_ro;
	bool fixups = o->attr_set || o->attr_clr || o->n_propagation || copyup || late_ro;
	_cleanup_free_ char *data = with_label(o->data, label);
	struct mountinfo before = {0};
	char fdp[SAFEPATH_FDPATH_MAX];
	int dst_mnt = -1, rc;

	if ((o->data || label) && !data)
		return berr_sys(err, ENOMEM, "mount data");
	if (fixups && (mount_id(dst, &dst_mnt, err) < 0 || mountinfo_read(&before, err) < 0))
		return -1;
	if (ro && (copyup || late_ro))
		flags &= ~(unsigned long)MS_RDONLY;
	if (mount(m->source ? m->source : m->type, safepath_fdpath(dst, fdp), m->type, flags,
		  data) < 0)
		rc = berr_sys(err, errno, "mount %s", m->type);
	else
		rc = fixups ? fixup_mount2(dst, dst_mnt, &before, o, ro_after_copy, late_ro, err)
			    : 0;
	mountinfo_free(&before);
	return rc;
}

/* procfs and sysfs only on a directory of their own, never through a
 * symlink at the destination (runc's check, with runc's words). A missing
 * destination is fine: it is created as a directory. */
static int check_ordinary_dir(const struct mounts_ctx *ctx, const struct berth_mount *m,
			      struct berth_error *err)
{
	_cleanup_close_ int fd =
	    safepath_open(ctx->rootfd, m->destination, O_PATH | O_NOFOLLOW, err);
	struct stat st;

	if (fd < 0 && err->errnum == ENOENT) {
		berr_clear(err);
		return 0;
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "fstat %s", m->destination);
	if (!S_ISDIR(st.st_mode))
		return berr_set(err, "filesystem \"%s\" must be mounted on ordinary directory",
				m->type);
	return 0;
}

static int do_fs_opts(const struct mounts_ctx *ctx, const struct berth_mount *m,
		      const struct mount_opts *o, int *late_ro, struct berth_error *err)
{
	bool strict = type_is(m->type, "proc") || type_is(m->type, "sysfs");
	bool labelled = !strict && !type_is(m->type, "mqueue");
	const char *label = labelled ? ctx->mount_label : NULL;
	unsigned long flags = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);

	if (!(flags & MS_RDONLY))
		late_ro = NULL;
	if (strict && check_ordinary_dir(ctx, m, err) < 0)
		return -1;
	_cleanup_close_ int dst = mounts_open_dest(ctx, m->destination, true, strict, err);
	if (dst < 0)
		return -1;
	if (check_proc_dest(dst, m->destination, m->type, err) < 0)
		return -1;
	if (!newmount_flags_fit(flags) || force_mount2())
		return do_fs_mount2(m, o, dst, label, late_ro, err);
	/* The mount (not the superblock, a fresh one nothing else mounts)
	 * becomes read-only after tmpcopyup wrote to it or, with late_ro, after
	 * the caller made what goes below it. */
	bool copyup = o->extensions & MOPT_EXT_TMPCOPYUP;
	bool ro_after_copy = (flags & MS_RDONLY) && copyup && !late_ro;
	if ((flags & MS_RDONLY) && (copyup || late_ro))
		flags &= ~(unsigned long)MS_RDONLY;
	_cleanup_close_ int mnt = newmount_create(m->type, m->source ? m->source : m->type, o->data,
						  label, flags, newmount_attrs(flags), err);
	if (mnt == NEWMOUNT_NO_FSOPEN)
		return do_fs_mount2(m, o, dst, label, late_ro, err);
	if (mnt < 0)
		return berr_prefix(err, "mount %s", m->type);
	if (prepare_new_mount(dst, mnt, o, ro_after_copy, err) < 0)
		return -1;
	if (move_mount(mnt, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berr_sys(err, errno, "attach the %s mount", m->type);
	/* after attaching: move_mount gives a mount under a shared parent the
	 * parent's propagation, which would undo "private" set before */
	if (mounts_set_propagation(mnt, o, err) < 0)
		return -1;
	if (late_ro)
		*late_ro = steal_fd(&mnt);
	return 0;
}

static bool has_mode_option(const char *data)
{
	for (const char *p = data; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, "mode=", 5) == 0)
			return true;
	return false;
}

/* A tmpfs without mode= over a directory of the image takes that
 * directory's mode, as with runc; over one berth makes, the kernel's 1777.
 * *data gets "<data>,mode=N" then, else stays NULL. */
static int tmpfs_mode_data(const struct mounts_ctx *ctx, const struct berth_mount *m,
			   const struct mount_opts *o, char **data, struct berth_error *err)
{
	struct stat st;

	*data = NULL;
	if (!type_is(m->type, "tmpfs") || has_mode_option(o->data))
		return 0;
	_cleanup_close_ int fd = safepath_open(ctx->rootfd, m->destination, O_PATH, err);
	if (fd < 0) {
		if (err->errnum != ENOENT)
			return -1;
		berr_clear(err);
		return 0;
	}
	if (fstat(fd, &st) < 0)
		return berr_sys(err, errno, "fstat %s", m->destination);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (asprintf(data, "%s%smode=%04o", o->data ? o->data : "", o->data ? "," : "",
		     (unsigned)(st.st_mode & 07777)) < 0) {
		*data = NULL;
		return berr_sys(err, ENOMEM, "mount data");
	}
	return 0;
}

static int do_fs(const struct mounts_ctx *ctx, const struct berth_mount *m,
		 const struct mount_opts *in, int *late_ro, struct berth_error *err)
{
	_cleanup_free_ char *mode_data = NULL;
	struct mount_opts with_mode = *in;
	const struct mount_opts *o = in;

	if (tmpfs_mode_data(ctx, m, in, &mode_data, err) < 0)
		return -1;
	if (mode_data) {
		with_mode.data = mode_data;
		o = &with_mode;
	}
	return do_fs_opts(ctx, m, o, late_ro, err);
}

bool mounts_ro_waits(const struct berth_mount *mounts, size_t n, size_t i)
{
	const char *dest = mounts[i].destination;

	if (!dest)
		return false;
	if (mounts_path_equal(dest, "/dev"))
		return true;
	for (size_t j = i + 1; j < n; j++)
		if (mounts[j].destination && path_has_prefix(mounts[j].destination, dest))
			return true;
	return false;
}

int mounts_apply(const struct mounts_ctx *ctx, const struct berth_mount *m, size_t index,
		 int *late_ro, struct berth_error *err)
{
	struct mount_opts o;
	int rc;

	if (late_ro)
		*late_ro = -1;
	if (!m->destination || !*m->destination)
		return berr_set(err, "mounts[%zu]: destination is empty", index);
	if (mount_opts_parse(m->options, m->n_options, &o, err) < 0)
		return berr_prefix(err, "mounts[%zu] (%s)", index, m->destination);
	if (type_is(m->type, "bind") || (o.flags & MS_BIND))
		rc = do_bind(ctx, m, &o, err);
	else if (!m->type || !*m->type)
		rc = berr_set(err, "no type and no bind option");
	else if (type_is(m->type, "cgroup") || type_is(m->type, "cgroup2"))
		rc = mounts_cgroup(ctx, m, &o, err);
	else
		rc = do_fs(ctx, m, &o, late_ro, err);
	mount_opts_free(&o);
	if (rc < 0)
		return berr_prefix(err, "mounts[%zu] (%s)", index, m->destination);
	log_debug("mounted %s (%s) on %s", m->source ? m->source : "none",
		  m->type ? m->type : "bind", m->destination);
	return 0;
}
