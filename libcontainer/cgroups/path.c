/* path.c - where a container's cgroup lives, computed from strings only.
 *
 * runc's rules: an absolute linux.cgroupsPath is taken relative to each
 * hierarchy's root, a relative one relative to the caller's own cgroup, and
 * an empty one is the container ID below the caller's own cgroup. This file
 * never touches the filesystem. */
#include "cgroup_internal.h"

#include <stdlib.h>
#include <string.h>

char *cg_path_clean(const char *path)
{
	size_t len = strlen(path);
	char *out = malloc(len + 2);
	size_t o = 0;
	const char *p = path;

	if (!out)
		return NULL;
	out[o++] = '/';
	while (*p) {
		const char *start;
		size_t n;

		while (*p == '/')
			p++;
		start = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			/* never climb above the root: "/../x" is "/x" */
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, start, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

char *cg_path_resolve(const char *own, const char *cgroups_path, const char *id)
{
	const char *inner = (cgroups_path && *cgroups_path) ? cgroups_path : id;
	char *joined;
	char *clean;

	if (!inner || !*inner)
		return NULL;
	if (inner[0] == '/')
		return cg_path_clean(inner);
	joined = cg_join(own ? own : "/", inner);
	if (!joined)
		return NULL;
	clean = cg_path_clean(joined);
	free(joined);
	return clean;
}

int cg_systemd_path_check(const char *cgroups_path, struct berth_error *err)
{
	struct cg_sd_path sp;

	if (!cgroups_path || !*cgroups_path)
		return 0; /* ":berth:<id>" */
	if (cg_sd_path_parse(cgroups_path, "id", false, &sp, err) < 0)
		return -1;
	cg_sd_path_clear(&sp);
	return 0;
}
