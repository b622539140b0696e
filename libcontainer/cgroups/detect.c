/* detect.c - which cgroup hierarchies this host has and where the caller
 * sits in them.
 *
 * Reads /proc/self/mountinfo, /proc/self/cgroup and statfs(2) only; never
 * mounts or writes anything. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "libcontainer/cleanup.h"

/* The v1 controllers berth knows how to use, and systemd's named
 * hierarchy: a container joins its own cgroup there too, as with runc, so a
 * systemd inside finds its cgroup below the container's and not at the
 * host's root. Other named and unknown hierarchies are left alone. */
static const char *const known_controllers[] = {
    "blkio",   "cpu",	   "cpuacct",	 "cpuset", "devices", "freezer", "hugetlb",	 "memory",
    "net_cls", "net_prio", "perf_event", "pids",   "rdma",    "misc",	 "name=systemd",
};

bool cg_list_has(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && !strncmp(p, name, len))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

static bool is_fs(const char *path, long magic)
{
	struct statfs st;

	return statfs(path, &st) == 0 && (long)st.f_type == magic;
}

/* The known controllers among a mount's super options, comma-separated. */
static char *controllers_of(const char *super_opts)
{
	char buf[256] = "";

	for (size_t i = 0; i < sizeof(known_controllers) / sizeof(*known_controllers); i++) {
		if (!cg_list_has(super_opts, known_controllers[i]))
			continue;
		if (*buf)
			strncat(buf, ",", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, known_controllers[i], sizeof(buf) - strlen(buf) - 1);
	}
	return *buf ? strdup(buf) : NULL;
}

static int add_hier(struct cg_mounts *mnt, const char *mount, char *ctrls)
{
	struct cg_hier *nh = realloc(mnt->hier, (mnt->n_hier + 1) * sizeof(*nh));

	if (!nh)
		return -1;
	mnt->hier = nh;
	memset(&nh[mnt->n_hier], 0, sizeof(*nh));
	nh[mnt->n_hier].controllers = ctrls;
	nh[mnt->n_hier].mount = strdup(mount);
	if (!nh[mnt->n_hier].mount)
		return -1;
	mnt->n_hier++;
	return 0;
}

/* mountinfo: "id parent maj:min root mountpoint opts [optional...] - fstype source superopts" */
static int scan_mountinfo(struct cg_mounts *mnt, struct berth_error *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	if (!f)
		return berr_sys(err, errno, "open /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		char root[4096], mpoint[4096], fstype[64], super[1024];
		char *dash = strstr(line, " - ");
		char *ctrls;

		if (!dash)
			continue;
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mpoint) != 2)
			continue;
		if (sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strcmp(fstype, "cgroup") != 0)
			continue;
		/* only the host's own mounts count; a bind of a subtree is not a hierarchy root */
		if (strcmp(root, "/") != 0)
			continue;
		ctrls = controllers_of(super);
		if (!ctrls)
			continue;
		/* the same hierarchy can be mounted twice: keep the first */
		bool dup = false;
		for (size_t i = 0; i < mnt->n_hier; i++)
			if (!strcmp(mnt->hier[i].controllers, ctrls))
				dup = true;
		if (dup) {
			free(ctrls);
			continue;
		}
		if (add_hier(mnt, mpoint, ctrls) < 0) {
			free(ctrls);
			return berr_sys(err, ENOMEM, "scan cgroup mounts");
		}
	}
	return 0;
}

static int detect_uncached(struct cg_mounts *out, struct berth_error *err)
{
	memset(out, 0, sizeof(*out));
	if (is_fs(CG_ROOT, CGROUP2_SUPER_MAGIC)) {
		out->kind = CG_KIND_V2;
		out->v2_mount = strdup(CG_ROOT);
		return out->v2_mount ? 0 : berr_sys(err, ENOMEM, "detect cgroups");
	}
	if (scan_mountinfo(out, err) < 0) {
		cg_mounts_clear(out);
		return -1;
	}
	if (out->n_hier == 0) {
		out->kind = CG_KIND_NONE;
		return 0;
	}
	if (is_fs(CG_UNIFIED, CGROUP2_SUPER_MAGIC)) {
		out->kind = CG_KIND_HYBRID;
		out->v2_mount = strdup(CG_UNIFIED);
		if (!out->v2_mount) {
			cg_mounts_clear(out);
			return berr_sys(err, ENOMEM, "detect cgroups");
		}
		return 0;
	}
	out->kind = CG_KIND_V1;
	return 0;
}

static int copy_mounts(struct cg_mounts *out, const struct cg_mounts *from, struct berth_error *err)
{
	memset(out, 0, sizeof(*out));
	out->kind = from->kind;
	if (from->v2_mount && !(out->v2_mount = strdup(from->v2_mount)))
		goto nomem;
	for (size_t i = 0; i < from->n_hier; i++) {
		char *ctrls = strdup(from->hier[i].controllers);
		if (!ctrls || add_hier(out, from->hier[i].mount, ctrls) < 0) {
			free(ctrls); /* add_hier keeps it only on success */
			goto nomem;
		}
	}
	return 0;
nomem:
	cg_mounts_clear(out);
	return berr_sys(err, ENOMEM, "detect cgroups");
}

/* Read once per berth process, then copied: `list` opens a manager for
 * every container and would otherwise reread the mount table each time
 * (70 us a container on a hybrid host). The host's cgroup mounts are
 * not something one command sees change. */
int cg_detect(struct cg_mounts *out, struct berth_error *err)
{
	static struct cg_mounts host;
	static bool have;

	if (!have) {
		if (detect_uncached(&host, err) < 0)
			return -1;
		have = true;
	}
	return copy_mounts(out, &host, err);
}

void cg_mounts_clear(struct cg_mounts *mnt)
{
	for (size_t i = 0; i < mnt->n_hier; i++) {
		free(mnt->hier[i].controllers);
		free(mnt->hier[i].mount);
	}
	free(mnt->hier);
	free(mnt->v2_mount);
	memset(mnt, 0, sizeof(*mnt));
}

char *cg_own_cgroup(const char *text, const char *controller)
{
	/* lines are "hierarchy-id:controller-list:path"; cgroup2 is "0::path" */
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *c1 = strchr(line, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		size_t llen = nl ? (size_t)(nl - line) : strlen(line);

		if (c2 && c2 < line + llen) {
			size_t clen = (size_t)(c2 - c1 - 1);
			_cleanup_free_ char *list = strndup(c1 + 1, clen);
			bool match;

			if (!list)
				return NULL;
			if (!*controller)
				match = clen == 0;
			else
				match = cg_list_has(list, controller);
			if (match)
				return strndup(c2 + 1, llen - (size_t)(c2 + 1 - line));
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}
