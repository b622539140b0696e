/* stats_json.h - a cgroup's typed stats (libcontainer/cgroups/stats.h) as
 * the "data" object of runc's `events --stats` line.
 *
 * The one place that knows the JSON field names, their order and which
 * ones are left out when the kernel did not offer them; the output is what
 * runc prints, byte for byte in shape. */
#ifndef BERTH_STATS_JSON_H
#define BERTH_STATS_JSON_H

#include <jansson.h>

#include "libcontainer/cgroups/cgroup.h"

/* A new object; {} for a container without a cgroup. NULL only when out of
 * memory. */
json_t *stats_json(const struct cgroup_stats *st);

#endif
