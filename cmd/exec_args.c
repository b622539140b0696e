/* exec_args.c - `exec`'s --user, --additional-gids and --cap as typed values. */
#include "exec_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "libcontainer/process/process.h"

int exec_parse_user(const char *s, struct exec_user *u, struct berth_error *err)
{
	char *end;
	unsigned long uid = strtoul(s, &end, 10);

	if (end == s || (*end && *end != ':'))
		return berr_set(err, "--user %s: expected UID[:GID]", s);
	u->set = true;
	u->uid = (uint32_t)uid;
	if (*end == ':') {
		const char *g = end + 1;
		unsigned long gid = strtoul(g, &end, 10);
		if (end == g || *end)
			return berr_set(err, "--user %s: expected UID[:GID]", s);
		u->has_gid = true;
		u->gid = (uint32_t)gid;
	}
	return 0;
}

int exec_parse_gids(char *const *v, size_t n, uint32_t **out, struct berth_error *err)
{
	_cleanup_free_ uint32_t *gids = NULL;

	*out = NULL;
	if (n == 0)
		return 0;
	gids = calloc(n, sizeof(*gids));
	if (!gids)
		return berr_sys(err, ENOMEM, "allocate groups");
	for (size_t i = 0; i < n; i++) {
		char *end;
		gids[i] = (uint32_t)strtoul(v[i], &end, 10);
		if (end == v[i] || *end)
			return berr_set(err, "--additional-gids %s: not a number", v[i]);
	}
	*out = gids;
	gids = NULL;
	return 0;
}

uint64_t exec_parse_caps(char *const *v, size_t n, bool quiet)
{
	uint64_t set = 0;

	for (size_t i = 0; i < n; i++) {
		int cap;
		char name[64];
		snprintf(name, sizeof(name), "%s%s",
			 strncasecmp(v[i], "CAP_", 4) == 0 ? "" : "CAP_", v[i]);
		if (cap_from_name_checked(name, &cap) < 0 || cap < 0 || cap >= 64) {
			/* as in config.json, and as runc: skipped with a warning */
			if (!quiet)
				log_warn("--cap %s: unknown capability ignored", v[i]);
			continue;
		}
		set |= 1ULL << cap;
	}
	return set;
}
