/* driver_name.c - the cgroup drivers' names, as state.json and the intent
 * file keep them: one table both ways. */
#include "cgroup.h"

#include <string.h>

static const char *const names[] = {
    [CGROUP_DRIVER_NONE] = NULL,
    [CGROUP_DRIVER_DISABLED] = "disabled",
    [CGROUP_DRIVER_V2] = "v2",
    [CGROUP_DRIVER_V1] = "v1",
    [CGROUP_DRIVER_HYBRID] = "hybrid",
    [CGROUP_DRIVER_SYSTEMD] = "systemd",
    [CGROUP_DRIVER_SYSTEMD_USER] = "systemd-user",
};

const char *cgroup_driver_name(enum cgroup_driver d)
{
	return (size_t)d < sizeof(names) / sizeof(names[0]) ? names[d] : NULL;
}

int cgroup_driver_from_name(const char *name, enum cgroup_driver *out)
{
	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && strcmp(names[i], name) == 0) {
			*out = (enum cgroup_driver)i;
			return 0;
		}
	return -1;
}

bool cgroup_driver_is_v2(enum cgroup_driver d)
{
	return d == CGROUP_DRIVER_V2 || cgroup_driver_is_systemd(d);
}

bool cgroup_driver_is_systemd(enum cgroup_driver d)
{
	return d == CGROUP_DRIVER_SYSTEMD || d == CGROUP_DRIVER_SYSTEMD_USER;
}
