/* stats_json.h - a cgroup's typed stats (libcontainer/cgroups/stats.h) as
 * the "data" object of runc's `events` lines, and the event line itself.
 *
 * The one place that knows the JSON field names, their order (runc 1.1's
 * types.Stats, field by field), which zero or empty ones are left out
 * (runc's `omitempty`) and which maps are sorted by key (Go sorts map keys).
 * Written with json_writer so that a "no limit" of 2^64-1 prints in full,
 * as runc prints it. */
#ifndef BERTH_STATS_JSON_H
#define BERTH_STATS_JSON_H

#include "libcontainer/cgroups/cgroup.h"

/* The "data" object as compact JSON text (the caller frees it); {} for a
 * container without a cgroup. NULL only when out of memory. */
char *stats_json(const struct cgroup_stats *st);

/* One `events` line (without the newline): {"type":T,"id":ID} and, when
 * data (JSON text) is given, "data":DATA. NULL only when out of memory. */
char *event_json(const char *type, const char *id, const char *data);

#endif
