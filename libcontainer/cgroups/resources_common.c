/* resources_common.c - resource logic shared by the v1 and v2 writers: the
 * device rule list every container gets, "was anything asked for?" and
 * which linux.resources.unified keys a v1 or hybrid host can take.
 *
 * Never writes a file. */
#include "cgroup_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"

/* Devices every container may use, appended after the config's own rules
 * (as runc does): mknod of anything, and the standard /dev nodes. */
static const struct berth_device_cgroup default_allowed[] = {
    {.allow = true, .type = 'c', .access = "m"},
    {.allow = true, .type = 'b', .access = "m"},
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 1,
     .has_minor = true,
     .minor = 3,
     .access = "rwm"}, /* null */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 1,
     .has_minor = true,
     .minor = 5,
     .access = "rwm"}, /* zero */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 1,
     .has_minor = true,
     .minor = 7,
     .access = "rwm"}, /* full */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 1,
     .has_minor = true,
     .minor = 8,
     .access = "rwm"}, /* random */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 1,
     .has_minor = true,
     .minor = 9,
     .access = "rwm"}, /* urandom */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 5,
     .has_minor = true,
     .minor = 0,
     .access = "rwm"}, /* tty */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 5,
     .has_minor = true,
     .minor = 1,
     .access = "rwm"}, /* console */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 5,
     .has_minor = true,
     .minor = 2,
     .access = "rwm"},								    /* ptmx */
    {.allow = true, .type = 'c', .has_major = true, .major = 136, .access = "rwm"}, /* pts */
    {.allow = true,
     .type = 'c',
     .has_major = true,
     .major = 10,
     .has_minor = true,
     .minor = 200,
     .access = "rwm"}, /* tun */
};

#define N_DEFAULT_ALLOWED (sizeof(default_allowed) / sizeof(*default_allowed))

int cg_device_rules(const struct berth_resources *r, struct cg_device_list *out,
		    struct berth_error *err)
{
	size_t n = (r ? r->n_devices : 0) + N_DEFAULT_ALLOWED;
	size_t k = 0;

	out->rules = calloc(n ? n : 1, sizeof(*out->rules));
	if (!out->rules)
		return berr_sys(err, ENOMEM, "linux.resources.devices");
	for (size_t i = 0; r && i < r->n_devices; i++) {
		if (cg_access_bits(r->devices[i].access) < 0) {
			free(out->rules);
			return berr_set(err, "linux.resources.devices[%zu].access: invalid \"%s\"",
					i, r->devices[i].access);
		}
		out->rules[k++] = r->devices[i];
	}
	for (size_t i = 0; i < N_DEFAULT_ALLOWED; i++)
		out->rules[k++] = default_allowed[i];
	out->n = k;
	return 0;
}

bool cg_resources_requested(const struct berth_resources *r)
{
	if (!r || !r->present)
		return false;
	const struct berth_memory *mem = &r->memory;
	const struct berth_cpu *cpu = &r->cpu;
	const struct berth_block_io *b = &r->block_io;

	return (mem->has_limit && mem->limit > 0) ||
	       (mem->has_reservation && mem->reservation > 0) || (mem->has_swap && mem->swap > 0) ||
	       mem->has_swappiness || (mem->has_disable_oom_killer && mem->disable_oom_killer) ||
	       (cpu->has_shares && cpu->shares) || (cpu->has_quota && cpu->quota > 0) ||
	       (cpu->has_period && cpu->period) || cpu->has_burst || cpu->has_realtime_runtime ||
	       cpu->has_realtime_period || (cpu->cpus && *cpu->cpus) || (cpu->mems && *cpu->mems) ||
	       cpu->has_idle || (r->has_pids_limit && r->pids_limit > 0) || b->has_weight ||
	       b->has_leaf_weight || b->n_weight_devices || b->n_throttle_read_bps ||
	       b->n_throttle_write_bps || b->n_throttle_read_iops || b->n_throttle_write_iops ||
	       r->n_hugepage_limits || r->network.has_class_id || r->network.n_priorities ||
	       r->n_rdma || r->n_unified;
}

/* runc's words; berth adds which key and why */
#define UNIFIED_ON_V1 "invalid configuration: cannot use unified on cgroup v1"

int cg_unified_check(const char *v2_mount, const struct berth_resources *r, struct berth_error *err)
{
	_cleanup_free_ char *avail = NULL;
	struct berth_error e;

	if (!r || !r->n_unified)
		return 0;
	if (!v2_mount)
		return berr_set(err, UNIFIED_ON_V1
				" (linux.resources.unified: no cgroup2 on this host)");
	if (cg_read(v2_mount, "cgroup.controllers", &avail, &e) < 0)
		return berr_set(err, UNIFIED_ON_V1 " (linux.resources.unified: %s)", e.msg);
	for (size_t i = 0; i < r->n_unified; i++) {
		const char *key = r->unified[i].key;
		_cleanup_free_ char *ctrl = strndup(key, strcspn(key, "."));
		char *save = NULL;
		bool found = false;

		if (!ctrl)
			return berr_sys(err, ENOMEM, "linux.resources.unified");
		if (!strcmp(ctrl, "cgroup"))
			continue; /* core files: every cgroup2 dir has them */
		_cleanup_free_ char *list = strdup(avail);
		if (!list)
			return berr_sys(err, ENOMEM, "linux.resources.unified");
		for (char *c = strtok_r(list, " ", &save); c && !found;
		     c = strtok_r(NULL, " ", &save))
			found = !strcmp(c, ctrl);
		if (!found)
			return berr_set(err,
					UNIFIED_ON_V1 " (linux.resources.unified.%s: the \"%s\" "
						      "controller is not on cgroup2 on this host)",
					key, ctrl);
	}
	return 0;
}
