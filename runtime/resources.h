/* resources.h - the operations on a live container's cgroup: pause,
 * resume, update and the stats behind `events`.
 *
 * Each opens the container by ID, checks its state the way runc does, and
 * calls the cgroup manager. Nothing here prints. */
#ifndef BERTH_RUNTIME_RESOURCES_H
#define BERTH_RUNTIME_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "lifecycle.h"

/* "container not running" unless running; then freeze. */
int runtime_pause(const struct runtime_opts *ro, const char *id, struct berth_error *err);
/* "container not paused" unless paused; then thaw. */
int runtime_resume(const struct runtime_opts *ro, const char *id, struct berth_error *err);

/* Apply `r` (only the fields it sets) to the container's cgroup. */
int runtime_update(const struct runtime_opts *ro, const char *id, const struct berth_resources *r,
		   struct berth_error *err);

/* Parse an OCI LinuxResources document (what `update --resources` reads).
 * The result lives in a spec holder: use (*holder)->linux_.resources and
 * free it with berth_spec_free(). */
int update_resources_parse(const char *data, size_t len, struct berth_spec **holder,
			   struct berth_error *err);

/* One sample for `events`: the stats "data" object as JSON text (caller
 * free()s; see stats_json.h) and the OOM kill count so far. *stopped is set
 * (and nothing else) when the container is no longer running. */
int runtime_events_sample(const struct runtime_opts *ro, const char *id, char **stats,
			  uint64_t *oom_kills, bool *stopped, struct berth_error *err);

#endif
