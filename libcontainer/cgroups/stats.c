/* stats.c - the cgroup's counters (see stats.h): cpu, memory, pids, blkio,
 * hugetlb and v1's cpuset, read from the v1 hierarchies or the v2 directory.
 *
 * Read-only. A file the kernel does not offer leaves its field out instead
 * of failing: stats are best effort, as runc's are. Only running out of
 * memory is an error. */
#include "cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"

#define USER_HZ 100 /* cpuacct.stat counts in USER_HZ ticks */

static int no_memory(struct berth_error *err)
{
	return berr_sys(err, ENOMEM, "read cgroup stats");
}

static bool read_u64(const char *dir, const char *file, uint64_t *v)
{
	struct berth_error e;

	return dir && cg_read_u64(dir, file, v, &e) == 0;
}

/* How many times c occurs in s: sizes the arrays before a parse. */
static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* A list of numbers separated by blanks (cpuacct.usage_percpu*). */
static int read_u64_list(const char *dir, const char *file, struct cgroup_u64_list *l,
			 struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	char *end;

	if (!dir || cg_read(dir, file, &s, &e) < 0)
		return 0;
	/* every number takes a digit and a separator, but the last */
	l->v = calloc(strlen(s) / 2 + 1, sizeof(*l->v));
	if (!l->v)
		return no_memory(err);
	l->present = true;
	for (const char *p = s; *p; p = end) {
		uint64_t v = strtoull(p, &end, 10);

		if (end == p)
			break;
		l->v[l->n++] = v;
	}
	return 0;
}

/* Every "key value" line of memory.stat, in file order. */
static int read_memory_stat(const char *dir, struct cgroup_memory_stats *m, struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	char *save = NULL;

	if (cg_read(dir, "memory.stat", &s, &e) < 0)
		return 0;
	m->raw = calloc(count_char(s, '\n') + 1, sizeof(*m->raw));
	if (!m->raw)
		return no_memory(err);
	m->has_raw = true;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		struct cgroup_stat_kv *kv = &m->raw[m->n_raw];

		if (!sp)
			continue;
		*sp = '\0';
		kv->key = strdup(line);
		if (!kv->key)
			return no_memory(err);
		kv->value = strtoull(sp + 1, NULL, 10);
		m->n_raw++;
	}
	return 0;
}

static void mem_entry(const char *dir, const char *prefix, bool v2, struct cgroup_mem_entry *o)
{
	char f[96];
	uint64_t v;

	if (v2) {
		/* no *.peak: runc 1.1 reports no v2 maximum, and engines
		 * compare the two runtimes' documents */
		snprintf(f, sizeof(f), "%s.current", prefix);
		o->has_usage = read_u64(dir, f, &o->usage);
		snprintf(f, sizeof(f), "%s.max", prefix);
		o->limit = read_u64(dir, f, &v) ? v : UINT64_MAX;
		snprintf(f, sizeof(f), "%s.events", prefix);
		o->failcnt = cg_read_keyed(dir, f, "max", &v) == 0 ? v : 0;
		return;
	}
	snprintf(f, sizeof(f), "%s.usage_in_bytes", prefix);
	o->has_usage = read_u64(dir, f, &o->usage);
	snprintf(f, sizeof(f), "%s.max_usage_in_bytes", prefix);
	o->has_max = read_u64(dir, f, &o->max);
	snprintf(f, sizeof(f), "%s.limit_in_bytes", prefix);
	o->limit = read_u64(dir, f, &v) ? v : 0;
	snprintf(f, sizeof(f), "%s.failcnt", prefix);
	o->failcnt = read_u64(dir, f, &v) ? v : 0;
}

/* v1 blkio "8:0 Read 123" lines */
static int blkio_v1(const char *dir, const char *file, struct cgroup_blkio_list *l,
		    struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	char *save = NULL;

	if (!dir || cg_read(dir, file, &s, &e) < 0)
		return 0;
	l->v = calloc(count_char(s, '\n') + 1, sizeof(*l->v));
	if (!l->v)
		return no_memory(err);
	l->present = true;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct cgroup_blkio_entry *b = &l->v[l->n];
		unsigned long long v;

		if (sscanf(line, "%u:%u %31s %llu", &b->major, &b->minor, b->op, &v) != 4)
			continue;
		b->value = v;
		l->n++;
	}
	return 0;
}

/* v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." */
static const struct {
	const char *key, *op;
	bool bytes;
} io_keys[] = {{"rbytes", "Read", true},
	       {"wbytes", "Write", true},
	       {"rios", "Read", false},
	       {"wios", "Write", false}};

static void io_line(char *line, struct cgroup_blkio_list *bytes, struct cgroup_blkio_list *ios)
{
	unsigned maj, min;
	int off = 0;
	char *save = NULL;

	if (sscanf(line, "%u:%u%n", &maj, &min, &off) != 2)
		return;
	for (char *kv = strtok_r(line + off, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			continue;
		*eq = '\0';
		for (size_t i = 0; i < sizeof(io_keys) / sizeof(*io_keys); i++) {
			struct cgroup_blkio_list *l = io_keys[i].bytes ? bytes : ios;
			struct cgroup_blkio_entry *b;

			if (strcmp(kv, io_keys[i].key))
				continue;
			b = &l->v[l->n++];
			b->major = maj;
			b->minor = min;
			snprintf(b->op, sizeof(b->op), "%s", io_keys[i].op);
			b->value = strtoull(eq + 1, NULL, 10);
		}
	}
}

static int blkio_v2(const char *dir, struct cgroup_stats *st, struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	char *save = NULL;
	size_t max;

	if (cg_read(dir, "io.stat", &s, &e) < 0)
		return 0;
	/* at most one entry per "key=value" */
	max = count_char(s, '=') + 1;
	st->io_service_bytes.v = calloc(max, sizeof(*st->io_service_bytes.v));
	st->io_serviced.v = calloc(max, sizeof(*st->io_serviced.v));
	if (!st->io_service_bytes.v || !st->io_serviced.v)
		return no_memory(err);
	st->io_service_bytes.present = st->io_serviced.present = true;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		io_line(line, &st->io_service_bytes, &st->io_serviced);
	return 0;
}

/* hugetlb.<size>.* for one page size; false when the cgroup lacks it */
static bool hugetlb_size(const char *dir, const char *size, bool v2, struct cgroup_hugetlb_stats *o)
{
	char f[128];
	uint64_t v;

	memset(o, 0, sizeof(*o));
	snprintf(o->size, sizeof(o->size), "%s", size);
	snprintf(f, sizeof(f), v2 ? "hugetlb.%s.current" : "hugetlb.%s.usage_in_bytes", size);
	if (!read_u64(dir, f, &o->usage))
		return false;
	if (!v2) {
		snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", size);
		o->has_max = read_u64(dir, f, &o->max);
		snprintf(f, sizeof(f), "hugetlb.%s.failcnt", size);
		o->failcnt = read_u64(dir, f, &v) ? v : 0;
	} else {
		snprintf(f, sizeof(f), "hugetlb.%s.events", size);
		o->failcnt = cg_read_keyed(dir, f, "max", &v) == 0 ? v : 0;
	}
	return true;
}

/* every page size the kernel offers, in directory order */
static int hugetlb(const char *dir, bool v2, struct cgroup_stats *st, struct berth_error *err)
{
	DIR *d = dir ? opendir("/sys/kernel/mm/hugepages") : NULL;
	struct dirent *de;
	int rc = 0;

	while (d && (de = readdir(d))) {
		struct cgroup_hugetlb_stats h, *grown;
		unsigned long kb;
		char size[32];

		if (sscanf(de->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		if (kb >= 1024 * 1024)
			snprintf(size, sizeof(size), "%luGB", kb / (1024 * 1024));
		else if (kb >= 1024)
			snprintf(size, sizeof(size), "%luMB", kb / 1024);
		else
			snprintf(size, sizeof(size), "%luKB", kb);
		if (!hugetlb_size(dir, size, v2, &h))
			continue;
		grown = realloc(st->hugetlb, (st->n_hugetlb + 1) * sizeof(*grown));
		if (!grown) {
			rc = no_memory(err);
			break;
		}
		st->hugetlb = grown;
		st->hugetlb[st->n_hugetlb++] = h;
	}
	if (d)
		closedir(d);
	return rc;
}

static void pids_stats(const char *dir, struct cgroup_pids_stats *p)
{
	p->has_current = read_u64(dir, "pids.current", &p->current);
	p->has_limit = read_u64(dir, "pids.max", &p->limit) && p->limit != UINT64_MAX;
}

static int memory_stats(const char *dir, bool v2, struct cgroup_memory_stats *m,
			struct berth_error *err)
{
	if (!dir)
		return 0;
	m->present = true;
	mem_entry(dir, "memory", v2, &m->usage);
	mem_entry(dir, v2 ? "memory.swap" : "memory.memsw", v2, &m->swap);
	if (v2) {
		/* v1's memsw counts memory + swap; v2's swap files swap alone.
		 * runc adds memory in so both read alike: a missing swap file
		 * (no swap accounting) counts as 0, an unlimited swap stays
		 * unlimited, and the sum wraps as Go's uint64 does. */
		if (!m->swap.has_usage)
			m->swap = (struct cgroup_mem_entry){.has_usage = true};
		m->swap.usage += m->usage.usage;
		if (m->swap.limit != UINT64_MAX)
			m->swap.limit += m->usage.limit;
	}
	if (!v2) {
		m->has_kernel = true;
		mem_entry(dir, "memory.kmem", false, &m->kernel);
		mem_entry(dir, "memory.kmem.tcp", false, &m->kernel_tcp);
	}
	if (read_memory_stat(dir, m, err) < 0)
		return -1;
	for (size_t i = 0; i < m->n_raw && !m->has_cache; i++)
		if (!strcmp(m->raw[i].key, v2 ? "file" : "cache")) {
			m->has_cache = true;
			m->cache = m->raw[i].value;
		}
	return 0;
}

/* "0-2,5" as 0,1,2,5 (cpuset.cpus, cpuset.mems); a malformed or empty
 * file leaves the list empty. */
static int read_id_list(const char *dir, const char *file, uint16_t **out, size_t *n,
			struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	size_t cap = 0;

	if (cg_read(dir, file, &s, &e) < 0)
		return 0;
	for (char *p = s, *end; *p && *p != '\n'; p = *end == ',' ? end + 1 : end) {
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			break;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p)
				break;
		}
		for (; lo <= hi && lo <= UINT16_MAX; lo++) {
			if (*n == cap) {
				uint16_t *v =
				    reallocarray(*out, cap = cap ? 2 * cap : 16, sizeof(*v));

				if (!v)
					return no_memory(err);
				*out = v;
			}
			(*out)[(*n)++] = (uint16_t)lo;
		}
	}
	return 0;
}

/* v1's cpuset files, as runc reports them; one the kernel lacks stays 0. */
static int cpuset_v1(const char *dir, struct cgroup_cpuset_stats *c, struct berth_error *err)
{
	static const struct {
		const char *file;
		size_t off;
	} flags[] = {
	    {"cpuset.cpu_exclusive", offsetof(struct cgroup_cpuset_stats, cpu_exclusive)},
	    {"cpuset.mem_hardwall", offsetof(struct cgroup_cpuset_stats, mem_hardwall)},
	    {"cpuset.mem_exclusive", offsetof(struct cgroup_cpuset_stats, mem_exclusive)},
	    {"cpuset.memory_migrate", offsetof(struct cgroup_cpuset_stats, memory_migrate)},
	    {"cpuset.memory_spread_page", offsetof(struct cgroup_cpuset_stats, memory_spread_page)},
	    {"cpuset.memory_spread_slab", offsetof(struct cgroup_cpuset_stats, memory_spread_slab)},
	    {"cpuset.memory_pressure", offsetof(struct cgroup_cpuset_stats, memory_pressure)},
	    {"cpuset.sched_load_balance", offsetof(struct cgroup_cpuset_stats, sched_load_balance)},
	};
	_cleanup_free_ char *level = NULL;
	struct berth_error e;

	if (!dir)
		return 0;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		read_u64(dir, flags[i].file, (uint64_t *)((char *)c + flags[i].off));
	/* signed: -1 is "the system default" */
	if (cg_read(dir, "cpuset.sched_relax_domain_level", &level, &e) == 0)
		c->sched_relax_domain_level = strtoll(level, NULL, 10);
	if (read_id_list(dir, "cpuset.cpus", &c->cpus, &c->n_cpus, err) < 0 ||
	    read_id_list(dir, "cpuset.mems", &c->mems, &c->n_mems, err) < 0)
		return -1;
	return 0;
}

static void cpu_v1(const char *cpu, const char *acct, struct cgroup_cpu_stats *c)
{
	uint64_t v;

	c->has_total = read_u64(acct, "cpuacct.usage", &c->total);
	c->kernel = acct && cg_read_keyed(acct, "cpuacct.stat", "system", &v) == 0
			? v * (1000000000ULL / USER_HZ)
			: 0;
	c->user = acct && cg_read_keyed(acct, "cpuacct.stat", "user", &v) == 0
		      ? v * (1000000000ULL / USER_HZ)
		      : 0;
	c->has_periods = cpu && cg_read_keyed(cpu, "cpu.stat", "nr_periods", &c->periods) == 0;
	c->has_throttled_periods =
	    cpu && cg_read_keyed(cpu, "cpu.stat", "nr_throttled", &c->throttled_periods) == 0;
	c->has_throttled_time =
	    cpu && cg_read_keyed(cpu, "cpu.stat", "throttled_time", &c->throttled_time) == 0;
}

int cg_stats_v1(struct cgroup_manager *m, struct cgroup_stats *st, struct berth_error *err)
{
	struct cg_hier *h;
	const char *cpu = (h = cg_v1_hier(m, "cpu")) ? h->dir : NULL;
	const char *acct = (h = cg_v1_hier(m, "cpuacct")) ? h->dir : NULL;
	const char *mem = (h = cg_v1_hier(m, "memory")) ? h->dir : NULL;
	const char *pids = (h = cg_v1_hier(m, "pids")) ? h->dir : NULL;
	const char *blk = (h = cg_v1_hier(m, "blkio")) ? h->dir : NULL;
	const char *huge = (h = cg_v1_hier(m, "hugetlb")) ? h->dir : NULL;
	const char *cpuset = (h = cg_v1_hier(m, "cpuset")) ? h->dir : NULL;

	memset(st, 0, sizeof(*st));
	st->present = true;
	cpu_v1(cpu, acct, &st->cpu);
	pids_stats(pids, &st->pids);
	if (read_u64_list(acct, "cpuacct.usage_percpu", &st->cpu.percpu, err) < 0 ||
	    read_u64_list(acct, "cpuacct.usage_percpu_sys", &st->cpu.percpu_kernel, err) < 0 ||
	    read_u64_list(acct, "cpuacct.usage_percpu_user", &st->cpu.percpu_user, err) < 0 ||
	    cpuset_v1(cpuset, &st->cpuset, err) < 0 ||
	    memory_stats(mem, false, &st->memory, err) < 0 ||
	    blkio_v1(blk, "blkio.throttle.io_service_bytes_recursive", &st->io_service_bytes, err) <
		0 ||
	    blkio_v1(blk, "blkio.throttle.io_serviced_recursive", &st->io_serviced, err) < 0 ||
	    hugetlb(huge, false, st, err) < 0) {
		cgroup_stats_free(st);
		return -1;
	}
	return 0;
}

int cg_stats_v2(const char *dir, struct cgroup_stats *st, struct berth_error *err)
{
	struct cgroup_cpu_stats *c = &st->cpu;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	st->present = true;
	/* cpu.stat counts microseconds; runc reports nanoseconds */
	if ((c->has_total = cg_read_keyed(dir, "cpu.stat", "usage_usec", &v) == 0))
		c->total = v * 1000;
	c->kernel = cg_read_keyed(dir, "cpu.stat", "system_usec", &v) == 0 ? v * 1000 : 0;
	c->user = cg_read_keyed(dir, "cpu.stat", "user_usec", &v) == 0 ? v * 1000 : 0;
	c->has_periods = cg_read_keyed(dir, "cpu.stat", "nr_periods", &c->periods) == 0;
	c->has_throttled_periods =
	    cg_read_keyed(dir, "cpu.stat", "nr_throttled", &c->throttled_periods) == 0;
	if ((c->has_throttled_time = cg_read_keyed(dir, "cpu.stat", "throttled_usec", &v) == 0))
		c->throttled_time = v * 1000;
	pids_stats(dir, &st->pids);
	if (memory_stats(cg_exists(dir, "memory.current") ? dir : NULL, true, &st->memory, err) <
		0 ||
	    blkio_v2(dir, st, err) < 0 || hugetlb(dir, true, st, err) < 0) {
		cgroup_stats_free(st);
		return -1;
	}
	return 0;
}

void cgroup_stats_free(struct cgroup_stats *st)
{
	free(st->cpu.percpu.v);
	free(st->cpu.percpu_kernel.v);
	free(st->cpu.percpu_user.v);
	for (size_t i = 0; i < st->memory.n_raw; i++)
		free(st->memory.raw[i].key);
	free(st->memory.raw);
	free(st->io_service_bytes.v);
	free(st->io_serviced.v);
	free(st->hugetlb);
	free(st->cpuset.cpus);
	free(st->cpuset.mems);
	memset(st, 0, sizeof(*st));
}
