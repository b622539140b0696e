/* stats_json.c - render struct cgroup_stats in runc's shape (see
 * stats_json.h): cpu, memory, pids, blkio, hugetlb, in that order. */
#include "stats_json.h"

/* runc's numbers are unsigned; jansson's are signed: a "no limit" of
 * UINT64_MAX comes out as what the cast gives, as it always has. */
static int set_u64(json_t *o, const char *key, uint64_t v)
{
	return json_object_set_new(o, key, json_integer((json_int_t)v));
}

static int set_opt(json_t *o, const char *key, bool has, uint64_t v)
{
	return has ? set_u64(o, key, v) : 0;
}

/* Objects are built with _new setters, which consume the value even when
 * they fail: one failure flag per object is enough to clean up. */
static int set_obj(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *u64_array(const struct cgroup_u64_list *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++)
		if (json_array_append_new(a, json_integer((json_int_t)l->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *cpu_json(const struct cgroup_cpu_stats *c)
{
	json_t *cpu = json_object(), *usage = json_object(), *thr = json_object();
	int rc = cpu && usage && thr ? 0 : -1;

	rc |= set_opt(usage, "total", c->has_total, c->total);
	if (c->percpu.present)
		rc |= set_obj(usage, "percpu", u64_array(&c->percpu));
	if (c->percpu_kernel.present)
		rc |= set_obj(usage, "percpu_kernel", u64_array(&c->percpu_kernel));
	if (c->percpu_user.present)
		rc |= set_obj(usage, "percpu_user", u64_array(&c->percpu_user));
	rc |= set_u64(usage, "kernel", c->kernel);
	rc |= set_u64(usage, "user", c->user);
	rc |= set_opt(thr, "periods", c->has_periods, c->periods);
	rc |= set_opt(thr, "throttledPeriods", c->has_throttled_periods, c->throttled_periods);
	rc |= set_opt(thr, "throttledTime", c->has_throttled_time, c->throttled_time);
	rc |= set_obj(cpu, "usage", usage);
	rc |= set_obj(cpu, "throttling", thr);
	if (rc) {
		json_decref(cpu);
		return NULL;
	}
	return cpu;
}

static json_t *mem_entry_json(const struct cgroup_mem_entry *e)
{
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	rc |= set_opt(o, "usage", e->has_usage, e->usage);
	rc |= set_opt(o, "max", e->has_max, e->max);
	rc |= set_u64(o, "limit", e->limit);
	rc |= set_u64(o, "failcnt", e->failcnt);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *memory_json(const struct cgroup_memory_stats *m)
{
	json_t *o = json_object(), *raw;
	int rc = o ? 0 : -1;

	if (!m->present)
		return o;
	rc |= set_obj(o, "usage", mem_entry_json(&m->usage));
	rc |= set_obj(o, "swap", mem_entry_json(&m->swap));
	if (m->has_kernel) {
		rc |= set_obj(o, "kernel", mem_entry_json(&m->kernel));
		rc |= set_obj(o, "kernelTCP", mem_entry_json(&m->kernel_tcp));
	}
	rc |= set_opt(o, "cache", m->has_cache, m->cache);
	if (m->has_raw) {
		raw = json_object();
		for (size_t i = 0; raw && i < m->n_raw; i++)
			rc |= set_u64(raw, m->raw[i].key, m->raw[i].value);
		rc |= set_obj(o, "raw", raw);
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *pids_json(const struct cgroup_pids_stats *p)
{
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	rc |= set_opt(o, "current", p->has_current, p->current);
	rc |= set_opt(o, "limit", p->has_limit, p->limit);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *blkio_list_json(const struct cgroup_blkio_list *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++) {
		const struct cgroup_blkio_entry *b = &l->v[i];

		if (json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:I}", "major",
						       (json_int_t)b->major, "minor",
						       (json_int_t)b->minor, "op", b->op, "value",
						       (json_int_t)b->value)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *blkio_json(const struct cgroup_stats *st)
{
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	if (st->io_service_bytes.present)
		rc |= set_obj(o, "ioServiceBytesRecursive", blkio_list_json(&st->io_service_bytes));
	if (st->io_serviced.present)
		rc |= set_obj(o, "ioServicedRecursive", blkio_list_json(&st->io_serviced));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *hugetlb_json(const struct cgroup_stats *st)
{
	json_t *o = json_object();
	int rc = o ? 0 : -1;

	for (size_t i = 0; o && i < st->n_hugetlb; i++) {
		const struct cgroup_hugetlb_stats *h = &st->hugetlb[i];
		json_t *e = json_object();

		rc |= e ? 0 : -1;
		rc |= set_u64(e, "usage", h->usage);
		rc |= set_opt(e, "max", h->has_max, h->max);
		rc |= set_u64(e, "failcnt", h->failcnt);
		rc |= set_obj(o, h->size, e);
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *stats_json(const struct cgroup_stats *st)
{
	json_t *data = json_object();
	int rc = data ? 0 : -1;

	if (!st->present)
		return data;
	rc |= set_obj(data, "cpu", cpu_json(&st->cpu));
	rc |= set_obj(data, "memory", memory_json(&st->memory));
	rc |= set_obj(data, "pids", pids_json(&st->pids));
	rc |= set_obj(data, "blkio", blkio_json(st));
	rc |= set_obj(data, "hugetlb", hugetlb_json(st));
	if (rc) {
		json_decref(data);
		return NULL;
	}
	return data;
}
