/* stats_json.c - render struct cgroup_stats as runc 1.1 does (see
 * stats_json.h): cpu, cpuset, memory, pids, blkio, hugetlb, intel_rdt,
 * network_interfaces, in that order. A field runc marks `omitempty` is left
 * out when it is 0 or an empty list, whether or not the kernel offered it. */
#include "stats_json.h"

#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

/* A member runc always prints. */
static void put_u64(struct json_writer *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_u64(w, v);
}

/* A member runc tags omitempty: absent when 0 (also when not read). */
static void put_nonzero(struct json_writer *w, const char *key, uint64_t v)
{
	if (v)
		put_u64(w, key, v);
}

static void put_u64_list(struct json_writer *w, const char *key, const uint64_t *v, size_t n)
{
	if (!n) /* omitempty: an empty list is left out as a missing one is */
		return;
	jw_key(w, key);
	jw_begin_array(w);
	for (size_t i = 0; i < n; i++)
		jw_u64(w, v[i]);
	jw_end_array(w);
}

static void put_u16_list(struct json_writer *w, const char *key, const uint16_t *v, size_t n)
{
	if (!n)
		return;
	jw_key(w, key);
	jw_begin_array(w);
	for (size_t i = 0; i < n; i++)
		jw_u64(w, v[i]);
	jw_end_array(w);
}

static void cpu_json(struct json_writer *w, const struct cgroup_cpu_stats *c)
{
	jw_key(w, "cpu");
	jw_begin_object(w);
	jw_key(w, "usage");
	jw_begin_object(w);
	put_nonzero(w, "total", c->total);
	put_u64_list(w, "percpu", c->percpu.v, c->percpu.n);
	put_u64_list(w, "percpu_kernel", c->percpu_kernel.v, c->percpu_kernel.n);
	put_u64_list(w, "percpu_user", c->percpu_user.v, c->percpu_user.n);
	put_u64(w, "kernel", c->kernel);
	put_u64(w, "user", c->user);
	jw_end_object(w);
	jw_key(w, "throttling");
	jw_begin_object(w);
	put_nonzero(w, "periods", c->periods);
	put_nonzero(w, "throttledPeriods", c->throttled_periods);
	put_nonzero(w, "throttledTime", c->throttled_time);
	jw_end_object(w);
	jw_end_object(w);
}

static void cpuset_json(struct json_writer *w, const struct cgroup_cpuset_stats *c)
{
	jw_key(w, "cpuset");
	jw_begin_object(w);
	put_u16_list(w, "cpus", c->cpus, c->n_cpus);
	put_u64(w, "cpu_exclusive", c->cpu_exclusive);
	put_u16_list(w, "mems", c->mems, c->n_mems);
	put_u64(w, "mem_hardwall", c->mem_hardwall);
	put_u64(w, "mem_exclusive", c->mem_exclusive);
	put_u64(w, "memory_migrate", c->memory_migrate);
	put_u64(w, "memory_spread_page", c->memory_spread_page);
	put_u64(w, "memory_spread_slab", c->memory_spread_slab);
	put_u64(w, "memory_pressure", c->memory_pressure);
	put_u64(w, "sched_load_balance", c->sched_load_balance);
	jw_key(w, "sched_relax_domain_level");
	jw_i64(w, c->sched_relax_domain_level);
	jw_end_object(w);
}

/* runc's MemoryEntry: limit first; usage and max omitempty. */
static void mem_entry_json(struct json_writer *w, const char *key, const struct cgroup_mem_entry *e)
{
	jw_key(w, key);
	jw_begin_object(w);
	put_u64(w, "limit", e->limit);
	put_nonzero(w, "usage", e->usage);
	put_nonzero(w, "max", e->max);
	put_u64(w, "failcnt", e->failcnt);
	jw_end_object(w);
}

static int cmp_stat_kv(const void *a, const void *b)
{
	return strcmp((*(const struct cgroup_stat_kv *const *)a)->key,
		      (*(const struct cgroup_stat_kv *const *)b)->key);
}

/* memory.stat as Go marshals a map: keys sorted; left out when empty. */
static int raw_json(struct json_writer *w, const struct cgroup_memory_stats *m)
{
	const struct cgroup_stat_kv **order;

	if (!m->n_raw)
		return 0;
	order = calloc(m->n_raw, sizeof(*order));
	if (!order)
		return -1;
	for (size_t i = 0; i < m->n_raw; i++)
		order[i] = &m->raw[i];
	qsort(order, m->n_raw, sizeof(*order), cmp_stat_kv);
	jw_key(w, "raw");
	jw_begin_object(w);
	for (size_t i = 0; i < m->n_raw; i++)
		put_u64(w, order[i]->key, order[i]->value);
	jw_end_object(w);
	free(order);
	return 0;
}

/* Without a memory controller runc still prints its four entries, zeroed. */
static int memory_json(struct json_writer *w, const struct cgroup_memory_stats *m)
{
	int rc;

	jw_key(w, "memory");
	jw_begin_object(w);
	put_nonzero(w, "cache", m->cache);
	mem_entry_json(w, "usage", &m->usage);
	mem_entry_json(w, "swap", &m->swap);
	mem_entry_json(w, "kernel", &m->kernel);
	mem_entry_json(w, "kernelTCP", &m->kernel_tcp);
	rc = raw_json(w, m);
	jw_end_object(w);
	return rc;
}

static void pids_json(struct json_writer *w, const struct cgroup_pids_stats *p)
{
	jw_key(w, "pids");
	jw_begin_object(w);
	put_nonzero(w, "current", p->current);
	put_nonzero(w, "limit", p->has_limit ? p->limit : 0);
	jw_end_object(w);
}

/* runc's BlkioEntry: every field omitempty, and so is an empty list. */
static void blkio_list_json(struct json_writer *w, const char *key,
			    const struct cgroup_blkio_list *l)
{
	if (!l->n)
		return;
	jw_key(w, key);
	jw_begin_array(w);
	for (size_t i = 0; i < l->n; i++) {
		const struct cgroup_blkio_entry *b = &l->v[i];

		jw_begin_object(w);
		put_nonzero(w, "major", b->major);
		put_nonzero(w, "minor", b->minor);
		if (b->op[0]) {
			jw_key(w, "op");
			jw_string(w, b->op);
		}
		put_nonzero(w, "value", b->value);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void blkio_json(struct json_writer *w, const struct cgroup_stats *st)
{
	jw_key(w, "blkio");
	jw_begin_object(w);
	blkio_list_json(w, "ioServiceBytesRecursive", &st->io_service_bytes);
	blkio_list_json(w, "ioServicedRecursive", &st->io_serviced);
	jw_end_object(w);
}

static int cmp_hugetlb(const void *a, const void *b)
{
	return strcmp((*(const struct cgroup_hugetlb_stats *const *)a)->size,
		      (*(const struct cgroup_hugetlb_stats *const *)b)->size);
}

/* A map in Go: page sizes sorted ("1GB" before "2MB"). */
static int hugetlb_json(struct json_writer *w, const struct cgroup_stats *st)
{
	const struct cgroup_hugetlb_stats **order = NULL;

	if (st->n_hugetlb && !(order = calloc(st->n_hugetlb, sizeof(*order))))
		return -1;
	for (size_t i = 0; i < st->n_hugetlb; i++)
		order[i] = &st->hugetlb[i];
	if (order)
		qsort(order, st->n_hugetlb, sizeof(*order), cmp_hugetlb);
	jw_key(w, "hugetlb");
	jw_begin_object(w);
	for (size_t i = 0; i < st->n_hugetlb; i++) {
		jw_key(w, order[i]->size);
		jw_begin_object(w);
		put_nonzero(w, "usage", order[i]->usage);
		put_nonzero(w, "max", order[i]->max);
		put_u64(w, "failcnt", order[i]->failcnt);
		jw_end_object(w);
	}
	jw_end_object(w);
	free(order);
	return 0;
}

char *stats_json(const struct cgroup_stats *st)
{
	struct json_writer w = JSON_WRITER_INIT;
	int rc = 0;

	jw_begin_object(&w);
	if (st->present) {
		cpu_json(&w, &st->cpu);
		cpuset_json(&w, &st->cpuset);
		rc |= memory_json(&w, &st->memory);
		pids_json(&w, &st->pids);
		blkio_json(&w, st);
		rc |= hugetlb_json(&w, st);
		/* no Intel RDT support: runc prints its all-omitempty struct */
		jw_key(&w, "intel_rdt");
		jw_begin_object(&w);
		jw_end_object(&w);
		/* runc lists only interfaces of libcontainer's own veth
		 * networks, which an OCI bundle cannot ask for: always nil */
		jw_key(&w, "network_interfaces");
		jw_null(&w);
	}
	jw_end_object(&w);
	if (rc) {
		free(jw_finish(&w));
		return NULL;
	}
	return jw_finish(&w);
}

char *event_json(const char *type, const char *id, const char *data)
{
	struct json_writer w = JSON_WRITER_INIT;

	jw_begin_object(&w);
	jw_key(&w, "type");
	jw_string(&w, type);
	jw_key(&w, "id");
	jw_string(&w, id);
	if (data) {
		jw_key(&w, "data");
		jw_raw(&w, data);
	}
	jw_end_object(&w);
	return jw_finish(&w);
}
