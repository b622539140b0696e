/* mount_cgroup.c - a "cgroup" mount in the container: its own cgroups.
 *
 * With a cgroup namespace, the kernel's cgroup filesystems. Without one,
 * binds of the container's own cgroup directories, one per hierarchy in a
 * tmpfs on v1/hybrid (as runc lays it out), read from the host mount table
 * once for all hierarchies.
 *
 * Never binds a host cgroup above the container's own. */
#include "mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "mountinfo.h"
#include "mounts_internal.h"
#include "procfs.h"
#include "safepath.h"

struct cg_line {
	char *ctrls; /* "cpu,cpuacct", "name=systemd", "" for the unified hierarchy */
	char *path;
};

/* True when every controller of `ctrls` ("cpu,cpuacct") is in the
 * superblock options of a cgroup v1 mount ("rw,cpu,cpuacct"). */
static bool has_controllers(const char *super, const char *ctrls)
{
	size_t sl = strlen(super);

	for (const char *c = ctrls; *c;) {
		size_t cl = strcspn(c, ",");
		bool found = false;
		for (const char *p = super; p < super + sl && !found;) {
			size_t pl = strcspn(p, ",");
			found = pl == cl && strncmp(p, c, cl) == 0;
			p += pl + (p[pl] == ',');
		}
		if (!found)
			return false;
		c += cl + (c[cl] == ',');
	}
	return true;
}

/* The host mount of a hierarchy ("" is the unified one), from the mount
 * table read once for the whole cgroup mount. */
static const struct mountinfo_entry *find_cgroup_mount(const struct mountinfo *mi,
						       const char *ctrls)
{
	bool v2 = ctrls[0] == '\0';

	for (size_t i = 0; i < mi->n; i++) {
		const struct mountinfo_entry *e = &mi->entries[i];
		if (strcmp(e->fstype, v2 ? "cgroup2" : "cgroup") != 0)
			continue;
		if (v2 || has_controllers(e->super_opts, ctrls))
			return e;
	}
	return NULL;
}

static int read_cgroup_lines(struct cg_line **out, size_t *n, struct berth_error *err)
{
	char buf[8192];
	struct cg_line *lines = NULL;
	size_t count = 0;

	if (procfs_read(-1, "self/cgroup", buf, sizeof(buf), err) < 0)
		return -1;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		struct cg_line *nl = realloc(lines, (count + 1) * sizeof(*nl));
		if (!nl)
			break;
		lines = nl;
		lines[count].ctrls = strdup(c1 + 1);
		lines[count].path = strdup(c2 + 1);
		count++;
	}
	*out = lines;
	*n = count;
	return 0;
}

static void free_cgroup_lines(struct cg_line *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].ctrls);
		free(l[i].path);
	}
	free(l);
}

/* The host path of the container's own cgroup directory in one hierarchy. */
static int own_cgroup_path(const struct mountinfo *mi, const char *ctrls, const char *path,
			   char *host, size_t size, struct berth_error *err)
{
	const struct mountinfo_entry *hm = find_cgroup_mount(mi, ctrls);

	if (!hm)
		return berr_sys(err, ENOENT, "find the host mount of cgroup \"%s\"", ctrls);
	/* a host mount showing a sub-tree (root != "/") holds paths below it */
	const char *rel = path;
	size_t rl = strlen(hm->root);
	if (strcmp(hm->root, "/") != 0 && strncmp(path, hm->root, rl) == 0)
		rel = path + rl;
	snprintf(host, size, "%s/%s", hm->mountpoint, rel);
	return 0;
}

/* Bind the container's own cgroup directory of one hierarchy. */
static int bind_own_cgroup(const struct mountinfo *mi, const char *ctrls, const char *path,
			   int dstfd, const struct mount_attr *attr, struct berth_error *err)
{
	char host[PATH_MAX * 2];

	if (own_cgroup_path(mi, ctrls, path, host, sizeof(host), err) < 0)
		return -1;
	_cleanup_close_ int src = open(host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (src < 0)
		return berr_sys(err, errno, "open %s", host);
	_cleanup_close_ int tree = mounts_bind_fd(src, dstfd, false, attr, NULL, err);
	return tree < 0 ? -1 : 0;
}

/* Bind it on `name` in our own fresh tmpfs `tmp`: nothing else can have
 * touched that directory, so no checked fd is needed for the target. The
 * attributes come later, once, for the whole tmpfs. */
static int bind_own_cgroup_at(const struct mountinfo *mi, const char *ctrls, const char *path,
			      int tmp, const char *name, struct berth_error *err)
{
	char host[PATH_MAX * 2];

	if (own_cgroup_path(mi, ctrls, path, host, sizeof(host), err) < 0)
		return -1;
	_cleanup_close_ int tree = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return berr_sys(err, errno, "clone %s", host);
	if (move_mount(tree, "", tmp, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return berr_sys(err, errno, "attach %s", host);
	return 0;
}

static int mount_cgroup_v2(const struct mounts_ctx *ctx, const struct mountinfo *mi, int dst,
			   const struct mount_opts *o, const char *path, struct berth_error *err)
{
	char fdp[SAFEPATH_FDPATH_MAX];
	struct mount_attr attr;

	if (ctx->cgroupns) {
		if (mount("cgroup2", safepath_fdpath(dst, fdp), "cgroup2",
			  o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT), NULL) == 0)
			return 0;
		if (errno != EPERM && errno != EBUSY)
			return berr_sys(err, errno, "mount cgroup2");
		log_debug("mount cgroup2: %s; binding the container's cgroup instead",
			  strerror(errno));
	}
	mounts_flags_to_attr(o->flags, o->clear, &attr);
	return bind_own_cgroup(mi, "", path, dst, &attr, err);
}

/* v1 / hybrid: a tmpfs with one directory per hierarchy, as runc lays it out. */
static int mount_cgroup_v1(const struct mounts_ctx *ctx, const struct mountinfo *mi, int dst,
			   const struct mount_opts *o, struct cg_line *lines, size_t n,
			   struct berth_error *err)
{
	struct mount_attr attr;
	char fdp[SAFEPATH_FDPATH_MAX];

	mounts_flags_to_attr(o->flags, o->clear, &attr);
	/* writable while the hierarchies are added; read-only at the end */
	_cleanup_close_ int tmp = mounts_tmpfs_fd(
	    dst, attr.attr_set & (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC),
	    "mode=755", err);
	if (tmp < 0)
		return -1;
	unsigned long fsflags = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	for (size_t i = 0; i < n; i++) {
		const char *ctrls = lines[i].ctrls;
		/* Without a cgroup namespace the unified hierarchy stays out, as
		 * with runc: a systemd inside would take a bind of the container's
		 * cgroup2 directory for its own hierarchy, look for its host path
		 * below it and fail to boot. */
		if (!ctx->cgroupns && ctrls[0] == '\0')
			continue;
		const struct mountinfo_entry *hm = find_cgroup_mount(mi, ctrls);
		if (!hm)
			continue; /* a hierarchy the host does not mount */
		const char *mp = hm->mountpoint;
		const char *name = strrchr(mp, '/') ? strrchr(mp, '/') + 1 : mp;
		if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (mkdirat(tmp, name, 0755) < 0 && errno != EEXIST)
			return berr_sys(err, errno, "mkdir cgroup %s", name);
		if (!ctx->cgroupns) {
			if (bind_own_cgroup_at(mi, ctrls, lines[i].path, tmp, name, err) < 0)
				return -1;
		} else {
			bool v2 = ctrls[0] == '\0';
			_cleanup_close_ int sub =
			    openat(tmp, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				return berr_sys(err, errno, "open cgroup %s", name);
			if (mount(v2 ? "cgroup2" : "cgroup", safepath_fdpath(sub, fdp),
				  v2 ? "cgroup2" : "cgroup", fsflags, v2 ? NULL : ctrls) < 0)
				return berr_sys(err, errno, "mount cgroup %s", name);
		}
		/* co-mounted controllers are reachable by each name, as on the host */
		if (strchr(name, ',')) {
			_cleanup_free_ char *dup = strdup(name);
			char *save = NULL;
			for (char *c = dup ? strtok_r(dup, ",", &save) : NULL; c;
			     c = strtok_r(NULL, ",", &save))
				if (symlinkat(name, tmp, c) < 0 && errno != EEXIST)
					return berr_sys(err, errno, "symlink cgroup %s", c);
		}
	}
	/* One call for the tmpfs and every bind below it (the cgroupns mounts
	 * got theirs from mount(2)): read-only, nosuid, ... as asked. */
	if (!mounts_attr_empty(&attr) &&
	    mount_setattr(tmp, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return berr_sys(err, errno, "set the cgroup mounts' attributes");
	return mounts_set_propagation(tmp, o, err);
}

int mounts_cgroup(const struct mounts_ctx *ctx, const struct berth_mount *m,
		  const struct mount_opts *o, struct berth_error *err)
{
	struct statfs sfs;
	struct cg_line *lines = NULL;
	struct mountinfo mi;
	size_t n = 0;
	int rc;

	if (ctx->before_cgroup && ctx->before_cgroup(ctx->before_cgroup_arg, err) < 0)
		return -1;
	_cleanup_close_ int dst = mounts_open_dest(ctx, m->destination, true, false, err);
	if (dst < 0)
		return -1;
	if (statfs("/sys/fs/cgroup", &sfs) < 0)
		return berr_sys(err, errno, "statfs /sys/fs/cgroup");
	if (read_cgroup_lines(&lines, &n, err) < 0)
		return -1;
	/* one read of the mount table for every hierarchy */
	if (mountinfo_read(&mi, err) < 0) {
		free_cgroup_lines(lines, n);
		return -1;
	}
	if (sfs.f_type == CGROUP2_SUPER_MAGIC) {
		const char *path = "/";
		for (size_t i = 0; i < n; i++)
			if (lines[i].ctrls[0] == '\0')
				path = lines[i].path;
		rc = mount_cgroup_v2(ctx, &mi, dst, o, path, err);
	} else {
		rc = mount_cgroup_v1(ctx, &mi, dst, o, lines, n, err);
	}
	mountinfo_free(&mi);
	free_cgroup_lines(lines, n);
	return rc;
}
