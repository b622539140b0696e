/* systemd_path.c - where a systemd-driver container lives, from strings
 * only: "slice:prefix:name" to a unit name and its cgroup path.
 *
 * The rules are runc's: the slice defaults to system.slice (user.slice for
 * a user manager), "-" (or "-.slice") is the root slice, the unit is
 * "<prefix>-<name>.scope" unless the name ends in ".slice" (then it is that
 * slice); a slice name expands as systemd nests slices ("a-b.slice" lives
 * in "a.slice/a-b.slice"). Never touches the filesystem. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"

#define SLICE_SUFFIX ".slice"

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int cg_sd_expand_slice(const char *slice, char **out, struct berth_error *err)
{
	size_t len = strlen(slice);
	size_t base_len;
	char *path;
	size_t o = 0;

	*out = NULL;
	if (!ends_with(slice, SLICE_SUFFIX) || len == strlen(SLICE_SUFFIX))
		return berr_set(err, "slice \"%s\": a slice name ends in \".slice\"", slice);
	if (strchr(slice, '/'))
		return berr_set(err, "slice \"%s\": must not contain '/'", slice);
	if (!strcmp(slice, "-.slice")) {
		*out = strdup("/");
		return *out ? 0 : berr_sys(err, ENOMEM, "slice");
	}
	base_len = len - strlen(SLICE_SUFFIX);
	if (slice[0] == '-' || slice[base_len - 1] == '-' || strstr(slice, "--"))
		return berr_set(err,
				"slice \"%s\": a '-' may only separate two non-empty parent "
				"names",
				slice);
	/* one "/<prefix>.slice" per '-'-separated component, plus the whole */
	size_t dashes = 0;
	for (size_t i = 0; i < base_len; i++)
		dashes += slice[i] == '-';
	path = malloc((dashes + 1) * (len + 2) + 1);
	if (!path)
		return berr_sys(err, ENOMEM, "slice");
	for (size_t i = 0; i <= base_len; i++) {
		if (i < base_len && slice[i] != '-')
			continue;
		path[o++] = '/';
		memcpy(path + o, slice, i);
		o += i;
		memcpy(path + o, SLICE_SUFFIX, strlen(SLICE_SUFFIX));
		o += strlen(SLICE_SUFFIX);
	}
	path[o] = '\0';
	*out = path;
	return 0;
}

void cg_sd_path_clear(struct cg_sd_path *p)
{
	free(p->slice);
	free(p->unit);
	free(p->rel);
	memset(p, 0, sizeof(*p));
}

int cg_sd_path_parse(const char *cgroups_path, const char *id, bool user, struct cg_sd_path *out,
		     struct berth_error *err)
{
	_cleanup_free_ char *copy = NULL;
	_cleanup_free_ char *slice_path = NULL;
	const char *slice, *prefix, *name;
	char *c1, *c2;

	memset(out, 0, sizeof(*out));
	if (cgroups_path && *cgroups_path) {
		copy = strdup(cgroups_path);
		if (!copy)
			return berr_sys(err, ENOMEM, "linux.cgroupsPath");
	} else {
		/* runc's default is ":runc:<id>" */
		if (!id || !*id)
			return berr_set(err, "cgroup manager: a container ID is required");
		if (asprintf(&copy, ":berth:%s", id) < 0) {
			copy = NULL;
			return berr_sys(err, ENOMEM, "linux.cgroupsPath");
		}
	}
	c1 = strchr(copy, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || strchr(c2 + 1, ':'))
		return berr_set(err,
				"linux.cgroupsPath \"%s\": expected \"slice:prefix:name\" with the "
				"systemd cgroup driver",
				copy);
	*c1 = *c2 = '\0';
	slice = *copy ? copy : (user ? "user.slice" : "system.slice");
	prefix = c1 + 1;
	name = c2 + 1;
	if (!strcmp(slice, "-"))
		slice = "-.slice";
	if (!*name)
		return berr_set(err, "linux.cgroupsPath \"%s\": the name (third field) is empty",
				cgroups_path);
	if (strchr(name, '/') || strchr(prefix, '/'))
		return berr_set(err,
				"linux.cgroupsPath \"%s\": the prefix and name must not "
				"contain '/'",
				cgroups_path);
	if (cg_sd_expand_slice(slice, &slice_path, err) < 0)
		return berr_prefix(err, "linux.cgroupsPath \"%s\": the slice (first field)",
				   cgroups_path);
	if (ends_with(name, SLICE_SUFFIX))
		out->unit = strdup(name);
	else if (*prefix) {
		if (asprintf(&out->unit, "%s-%s.scope", prefix, name) < 0)
			out->unit = NULL;
	} else if (asprintf(&out->unit, "%s.scope", name) < 0)
		out->unit = NULL;
	out->slice = strdup(slice);
	out->rel = cg_join(slice_path, out->unit ? out->unit : "");
	if (!out->unit || !out->slice || !out->rel) {
		cg_sd_path_clear(out);
		return berr_sys(err, ENOMEM, "linux.cgroupsPath");
	}
	out->is_slice = ends_with(name, SLICE_SUFFIX);
	return 0;
}
