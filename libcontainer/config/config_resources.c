/* config_resources.c - linux.resources: every cgroup v1 and v2 knob.
 *
 * Sizes are int64 with -1 meaning "unlimited"; anything below -1 is an
 * error here rather than a confusing write failure in a cgroup file later.
 * Names that become cgroup file names (unified keys) or are written into
 * a cgroup file (rdma devices, net_prio interfaces, cpusets) are checked so
 * they cannot name another file or smuggle a second line. Must never touch
 * the cgroup filesystem: the cgroups module applies, this only reads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define UNLIMITED	 (-1)
#define SWAPPINESS_MAX	 100
#define SWAPPINESS_UNSET UINT64_MAX /* Docker's -1, sent as a uint64 */
#define WHITESPACE	 " \t\n\v\f\r"

/* An optional int64 that is a size or -1 for "unlimited". */
static int size_field(json_t *o, const char *path, const char *key, bool *has, int64_t *v,
		      struct berth_error *err)
{
	int rc = cj_int_range(o, path, key, CJ_OPT, UNLIMITED, INT64_MAX, v, err);

	if (rc < 0 && json_is_integer(json_object_get(o, key)))
		return cj_fail(err, path, key,
			       "negative size %lld (only -1, unlimited, is allowed)",
			       (long long)json_integer_value(json_object_get(o, key)));
	*has = rc > 0;
	return rc;
}

static int opt_u64(json_t *o, const char *path, const char *key, bool *has, uint64_t *v,
		   struct berth_error *err)
{
	int rc = cj_uint64(o, path, key, CJ_OPT, v, err);

	*has = rc > 0;
	return rc;
}

static int opt_u16(json_t *o, const char *path, const char *key, bool *has, uint16_t *v,
		   struct berth_error *err)
{
	int rc = cj_uint16(o, path, key, CJ_OPT, v, err);

	*has = rc > 0;
	return rc;
}

/* A word that goes into a cgroup file or names one: no separators. */
static bool plain_word(const char *s)
{
	return s[0] && s[strcspn(s, WHITESPACE "/")] == '\0' && strcmp(s, ".") != 0 &&
	       strcmp(s, "..") != 0;
}

/* runc reads only the r, w and m of an access string and ignores any
 * other letter ("rwx", "RWm"): so do we, rewriting it in place to the
 * canonical "rwm" order the cgroup files take. A non-empty string left
 * with none of the three is refused: runc's container fails on it later. */
static int normalize_access(char *access, const char *ip, struct berth_error *err)
{
	char keep[4];
	size_t n = 0;

	for (const char *c = "rwm"; *c; c++)
		if (strchr(access, *c))
			keep[n++] = *c;
	if (n == 0 && *access)
		return cj_fail(err, ip, "access", "\"%.16s\" names none of r, w and m", access);
	memcpy(access, keep, n);
	access[n] = '\0';
	return 0;
}

static int parse_device_rules(json_t *o, const char *path, struct berth_resources *r,
			      struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, "devices", sizeof(*r->devices), (void **)&r->devices,
				&r->n_devices, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < r->n_devices; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_device_cgroup *d = &r->devices[i];
		const char *type = "a";
		json_t *item = cj_item_object(arr, path, "devices", i, ip, err);

		if (!item || cj_bool(item, ip, "allow", CJ_REQ, &d->allow, err) < 0 ||
		    cj_string_ref(item, ip, "type", CJ_OPT, &type, err) < 0)
			return -1;
		if (strlen(type) != 1 || !strchr("acb", type[0]))
			return cj_fail(err, ip, "type",
				       "unknown device type \"%.16s\" (expected a, c or b)", type);
		d->type = type[0];
		/* -1 is how Go tools write "any"; keep it as "absent". */
		d->major = d->minor = -1;
		if ((rc = cj_int_range(item, ip, "major", CJ_OPT, -1, INT64_MAX, &d->major, err)) <
		    0)
			return -1;
		d->has_major = rc > 0 && d->major >= 0;
		if ((rc = cj_int_range(item, ip, "minor", CJ_OPT, -1, INT64_MAX, &d->minor, err)) <
		    0)
			return -1;
		d->has_minor = rc > 0 && d->minor >= 0;
		rc = cj_string(item, ip, "access", CJ_OPT, &d->access, err);
		if (rc < 0)
			return -1;
		if (rc > 0 && normalize_access(d->access, ip, err) < 0)
			return -1;
	}
	return 1;
}

static int parse_memory(json_t *r, const char *path, struct berth_memory *m,
			struct berth_error *err)
{
	char mp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(r, path, "memory", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(mp, path, "memory");
	m->present = true;
	if (size_field(o, mp, "limit", &m->has_limit, &m->limit, err) < 0 ||
	    size_field(o, mp, "reservation", &m->has_reservation, &m->reservation, err) < 0 ||
	    size_field(o, mp, "swap", &m->has_swap, &m->swap, err) < 0 ||
	    size_field(o, mp, "kernel", &m->has_kernel, &m->kernel, err) < 0 ||
	    size_field(o, mp, "kernelTCP", &m->has_kernel_tcp, &m->kernel_tcp, err) < 0 ||
	    opt_u64(o, mp, "swappiness", &m->has_swappiness, &m->swappiness, err) < 0)
		return -1;
	if (m->has_swappiness && m->swappiness == SWAPPINESS_UNSET)
		m->has_swappiness = false;
	if (m->has_swappiness && m->swappiness > SWAPPINESS_MAX)
		return cj_fail(err, mp, "swappiness", "%llu is out of range (0..100)",
			       (unsigned long long)m->swappiness);
	if ((rc = cj_bool(o, mp, "disableOOMKiller", CJ_OPT, &m->disable_oom_killer, err)) < 0)
		return -1;
	m->has_disable_oom_killer = rc > 0;
	if ((rc = cj_bool(o, mp, "useHierarchy", CJ_OPT, &m->use_hierarchy, err)) < 0)
		return -1;
	m->has_use_hierarchy = rc > 0;
	if (cj_bool(o, mp, "checkBeforeUpdate", CJ_OPT, &m->check_before_update, err) < 0)
		return -1;
	return 1;
}

static int cpuset(json_t *o, const char *path, const char *key, char **out, struct berth_error *err)
{
	int rc = cj_string(o, path, key, CJ_OPT, out, err);

	if (rc > 0 && (*out)[strspn(*out, "0123456789,- ")] != '\0')
		return cj_fail(err, path, key, "not a list of numbers and ranges: \"%.64s\"", *out);
	return rc;
}

static int parse_cpu(json_t *r, const char *path, struct berth_cpu *c, struct berth_error *err)
{
	char cp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(r, path, "cpu", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(cp, path, "cpu");
	c->present = true;
	if (opt_u64(o, cp, "shares", &c->has_shares, &c->shares, err) < 0 ||
	    size_field(o, cp, "quota", &c->has_quota, &c->quota, err) < 0 ||
	    opt_u64(o, cp, "burst", &c->has_burst, &c->burst, err) < 0 ||
	    opt_u64(o, cp, "period", &c->has_period, &c->period, err) < 0 ||
	    size_field(o, cp, "realtimeRuntime", &c->has_realtime_runtime, &c->realtime_runtime,
		       err) < 0 ||
	    opt_u64(o, cp, "realtimePeriod", &c->has_realtime_period, &c->realtime_period, err) <
		0 ||
	    cpuset(o, cp, "cpus", &c->cpus, err) < 0 || cpuset(o, cp, "mems", &c->mems, err) < 0)
		return -1;
	if ((rc = cj_int64(o, cp, "idle", CJ_OPT, &c->idle, err)) < 0)
		return -1;
	c->has_idle = rc > 0;
	if (c->has_burst && c->has_quota && c->quota > 0 && c->burst > (uint64_t)c->quota)
		return cj_fail(err, cp, "burst", "%llu is larger than quota %lld",
			       (unsigned long long)c->burst, (long long)c->quota);
	return 1;
}

static int dev_numbers(json_t *item, const char *ip, int64_t *major, int64_t *minor,
		       struct berth_error *err)
{
	if (cj_int_range(item, ip, "major", CJ_REQ, 0, INT64_MAX, major, err) < 0 ||
	    cj_int_range(item, ip, "minor", CJ_REQ, 0, INT64_MAX, minor, err) < 0)
		return -1;
	return 0;
}

static int parse_throttle(json_t *o, const char *path, const char *key,
			  struct berth_throttle_device **out, size_t *n, struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, key, sizeof(**out), (void **)out, n, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_throttle_device *t = &(*out)[i];
		json_t *item = cj_item_object(arr, path, key, i, ip, err);

		if (!item || dev_numbers(item, ip, &t->major, &t->minor, err) < 0 ||
		    cj_uint64(item, ip, "rate", CJ_REQ, &t->rate, err) < 0)
			return -1;
	}
	return 1;
}

static int parse_weight_devices(json_t *o, const char *path, struct berth_block_io *b,
				struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, "weightDevice", sizeof(*b->weight_devices),
				(void **)&b->weight_devices, &b->n_weight_devices, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_weight_device *w = &b->weight_devices[i];
		json_t *item = cj_item_object(arr, path, "weightDevice", i, ip, err);

		if (!item || dev_numbers(item, ip, &w->major, &w->minor, err) < 0 ||
		    opt_u16(item, ip, "weight", &w->has_weight, &w->weight, err) < 0 ||
		    opt_u16(item, ip, "leafWeight", &w->has_leaf_weight, &w->leaf_weight, err) < 0)
			return -1;
		if (!w->has_weight && !w->has_leaf_weight)
			return cj_fail(err, ip, NULL, "needs weight or leafWeight");
	}
	return 1;
}

static int parse_block_io(json_t *r, const char *path, struct berth_block_io *b,
			  struct berth_error *err)
{
	char bp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(r, path, "blockIO", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(bp, path, "blockIO");
	b->present = true;
	if (opt_u16(o, bp, "weight", &b->has_weight, &b->weight, err) < 0 ||
	    opt_u16(o, bp, "leafWeight", &b->has_leaf_weight, &b->leaf_weight, err) < 0 ||
	    parse_weight_devices(o, bp, b, err) < 0 ||
	    parse_throttle(o, bp, "throttleReadBpsDevice", &b->throttle_read_bps,
			   &b->n_throttle_read_bps, err) < 0 ||
	    parse_throttle(o, bp, "throttleWriteBpsDevice", &b->throttle_write_bps,
			   &b->n_throttle_write_bps, err) < 0 ||
	    parse_throttle(o, bp, "throttleReadIOPSDevice", &b->throttle_read_iops,
			   &b->n_throttle_read_iops, err) < 0 ||
	    parse_throttle(o, bp, "throttleWriteIOPSDevice", &b->throttle_write_iops,
			   &b->n_throttle_write_iops, err) < 0)
		return -1;
	return 1;
}

/* The schema's ^[1-9][0-9]*[KMG]B$ */
static bool valid_page_size(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	return digits > 0 && s[0] != '0' && s[digits] && strchr("KMG", s[digits]) &&
	       s[digits + 1] == 'B' && s[digits + 2] == '\0';
}

static int parse_hugepages(json_t *o, const char *path, struct berth_resources *r,
			   struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, "hugepageLimits", sizeof(*r->hugepage_limits),
				(void **)&r->hugepage_limits, &r->n_hugepage_limits, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_hugepage_limit *h = &r->hugepage_limits[i];
		json_t *item = cj_item_object(arr, path, "hugepageLimits", i, ip, err);

		if (!item || cj_string(item, ip, "pageSize", CJ_REQ, &h->page_size, err) < 0)
			return -1;
		if (!valid_page_size(h->page_size))
			return cj_fail(
			    err, ip, "pageSize",
			    "\"%.32s\" is not a page size like 2MB (<n>KB, <n>MB or <n>GB)",
			    h->page_size);
		if (cj_uint64(item, ip, "limit", CJ_REQ, &h->limit, err) < 0)
			return -1;
	}
	return 1;
}

static int parse_network(json_t *r, const char *path, struct berth_network_resources *n,
			 struct berth_error *err)
{
	char np[CJ_PATH_MAX];
	json_t *o, *arr;
	int rc = cj_object(r, path, "network", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(np, path, "network");
	n->present = true;
	if ((rc = cj_uint32(o, np, "classID", CJ_OPT, &n->class_id, err)) < 0)
		return -1;
	n->has_class_id = rc > 0;
	rc = cj_array_alloc(o, np, "priorities", sizeof(*n->priorities), (void **)&n->priorities,
			    &n->n_priorities, &arr, err);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < n->n_priorities; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_net_priority *p = &n->priorities[i];
		json_t *item = cj_item_object(arr, np, "priorities", i, ip, err);

		if (!item || cj_string(item, ip, "name", CJ_REQ, &p->name, err) < 0)
			return -1;
		if (!plain_word(p->name))
			return cj_fail(err, ip, "name", "\"%.32s\" is not an interface name",
				       p->name);
		if (cj_uint32(item, ip, "priority", CJ_REQ, &p->priority, err) < 0)
			return -1;
	}
	return 1;
}

static int parse_rdma(json_t *r, const char *path, struct berth_resources *res,
		      struct berth_error *err)
{
	char rp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(r, path, "rdma", CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(rp, path, "rdma");
	res->rdma = calloc(json_object_size(o) + 1, sizeof(*res->rdma));
	if (!res->rdma)
		return berr_sys(err, ENOMEM, "%s", rp);

	const char *dev;
	json_t *v;
	json_object_foreach(o, dev, v)
	{
		char dp[CJ_PATH_MAX];
		struct berth_rdma_limit *l = &res->rdma[res->n_rdma++];

		cj_path(dp, rp, dev);
		if (!plain_word(dev))
			return cj_fail(err, dp, NULL, "not an RDMA device name");
		if (!json_is_object(v))
			return cj_fail(err, dp, NULL, "expected an object");
		l->device = strdup(dev);
		if (!l->device)
			return berr_sys(err, ENOMEM, "%s", dp);
		if ((rc = cj_uint32(v, dp, "hcaHandles", CJ_OPT, &l->hca_handles, err)) < 0)
			return -1;
		l->has_hca_handles = rc > 0;
		if ((rc = cj_uint32(v, dp, "hcaObjects", CJ_OPT, &l->hca_objects, err)) < 0)
			return -1;
		l->has_hca_objects = rc > 0;
		if (!l->has_hca_handles && !l->has_hca_objects)
			return cj_fail(err, dp, NULL, "needs hcaHandles or hcaObjects");
	}
	return 1;
}

/* Unified keys are file names in the container's cgroup directory. */
static int check_unified(const char *path, const struct berth_resources *r, struct berth_error *err)
{
	for (size_t i = 0; i < r->n_unified; i++) {
		const char *k = r->unified[i].key;

		if (!plain_word(k) || k[0] == '.')
			return cj_fail(err, path, "unified", "\"%.64s\" is not a cgroup file name",
				       k);
	}
	return 0;
}

int cfg_parse_resources(json_t *o, const char *path, struct berth_resources *r,
			struct berth_error *err)
{
	json_t *pids;
	int rc;

	r->present = true;
	if (parse_device_rules(o, path, r, err) < 0 || parse_memory(o, path, &r->memory, err) < 0 ||
	    parse_cpu(o, path, &r->cpu, err) < 0)
		return -1;
	rc = cj_object(o, path, "pids", CJ_OPT, &pids, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		char pp[CJ_PATH_MAX];

		cj_path(pp, path, "pids");
		if (cj_int64(pids, pp, "limit", CJ_REQ, &r->pids_limit, err) < 0)
			return -1;
		r->has_pids_limit = true;
	}
	if (parse_block_io(o, path, &r->block_io, err) < 0 ||
	    parse_hugepages(o, path, r, err) < 0 || parse_network(o, path, &r->network, err) < 0 ||
	    parse_rdma(o, path, r, err) < 0 ||
	    cj_map(o, path, "unified", CJ_OPT, &r->unified, &r->n_unified, err) < 0 ||
	    check_unified(path, r, err) < 0)
		return -1;
	return 0;
}
