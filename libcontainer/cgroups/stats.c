/* stats.c - the cgroup's counters in runc's `events --stats` JSON shape
 * (the "data" object: cpu, memory, pids, blkio, hugetlb).
 *
 * Read-only. A file the kernel does not offer leaves its field out instead
 * of failing: stats are best effort, as runc's are. */
#include "cgroup_internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"

#define USER_HZ 100 /* cpuacct.stat counts in USER_HZ ticks */

static void set_u64(json_t *o, const char *key, uint64_t v)
{
	json_object_set_new(o, key, json_integer((json_int_t)v));
}

static bool read_u64(const char *dir, const char *file, uint64_t *v)
{
	struct berth_error e;

	return dir && cg_read_u64(dir, file, v, &e) == 0;
}

/* Every "key value" line of a flat keyed file into an object. */
static json_t *read_flat(const char *dir, const char *file)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	json_t *o;
	char *save = NULL;

	if (!dir || cg_read(dir, file, &s, &e) < 0)
		return NULL;
	o = json_object();
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		set_u64(o, line, strtoull(sp + 1, NULL, 10));
	}
	return o;
}

static json_t *u64_array(const char *text)
{
	json_t *a = json_array();
	char *end;

	for (const char *p = text; p && *p; p = end) {
		uint64_t v = strtoull(p, &end, 10);

		if (end == p)
			break;
		json_array_append_new(a, json_integer((json_int_t)v));
	}
	return a;
}

static json_t *mem_entry(const char *dir, const char *prefix, bool v2)
{
	json_t *o = json_object();
	char f[96];
	uint64_t v;

	if (v2) {
		snprintf(f, sizeof(f), "%s.current", prefix);
		if (read_u64(dir, f, &v))
			set_u64(o, "usage", v);
		snprintf(f, sizeof(f), "%s.peak", prefix);
		if (read_u64(dir, f, &v))
			set_u64(o, "max", v);
		snprintf(f, sizeof(f), "%s.max", prefix);
		set_u64(o, "limit", read_u64(dir, f, &v) ? v : UINT64_MAX);
		snprintf(f, sizeof(f), "%s.events", prefix);
		set_u64(o, "failcnt", cg_read_keyed(dir, f, "max", &v) == 0 ? v : 0);
		return o;
	}
	snprintf(f, sizeof(f), "%s.usage_in_bytes", prefix);
	if (read_u64(dir, f, &v))
		set_u64(o, "usage", v);
	snprintf(f, sizeof(f), "%s.max_usage_in_bytes", prefix);
	if (read_u64(dir, f, &v))
		set_u64(o, "max", v);
	snprintf(f, sizeof(f), "%s.limit_in_bytes", prefix);
	set_u64(o, "limit", read_u64(dir, f, &v) ? v : 0);
	snprintf(f, sizeof(f), "%s.failcnt", prefix);
	set_u64(o, "failcnt", read_u64(dir, f, &v) ? v : 0);
	return o;
}

/* v1 blkio "8:0 Read 123" lines; v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." */
static void blkio_v1(json_t *blkio, const char *dir, const char *file, const char *key)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	json_t *a;
	char *save = NULL;

	if (!dir || cg_read(dir, file, &s, &e) < 0)
		return;
	a = json_array();
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned maj, min;
		char op[32];
		unsigned long long v;
		json_t *o;

		if (sscanf(line, "%u:%u %31s %llu", &maj, &min, op, &v) != 4)
			continue;
		o = json_object();
		set_u64(o, "major", maj);
		set_u64(o, "minor", min);
		json_object_set_new(o, "op", json_string(op));
		set_u64(o, "value", v);
		json_array_append_new(a, o);
	}
	json_object_set_new(blkio, key, a);
}

static const struct {
	const char *key, *op;
	bool bytes;
} io_keys[] = {{"rbytes", "Read", true},
	       {"wbytes", "Write", true},
	       {"rios", "Read", false},
	       {"wios", "Write", false}};

static void io_line(char *line, json_t *bytes, json_t *ios)
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
			json_t *o;

			if (strcmp(kv, io_keys[i].key))
				continue;
			o = json_object();
			set_u64(o, "major", maj);
			set_u64(o, "minor", min);
			json_object_set_new(o, "op", json_string(io_keys[i].op));
			set_u64(o, "value", strtoull(eq + 1, NULL, 10));
			json_array_append_new(io_keys[i].bytes ? bytes : ios, o);
		}
	}
}

static void blkio_v2(json_t *blkio, const char *dir)
{
	_cleanup_free_ char *s = NULL;
	struct berth_error e;
	json_t *bytes, *ios;
	char *save = NULL;

	if (cg_read(dir, "io.stat", &s, &e) < 0)
		return;
	bytes = json_array();
	ios = json_array();
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		io_line(line, bytes, ios);
	json_object_set_new(blkio, "ioServiceBytesRecursive", bytes);
	json_object_set_new(blkio, "ioServicedRecursive", ios);
}

/* hugetlb.<size>.* for every page size the kernel offers */
static json_t *hugetlb(const char *dir, bool v2)
{
	json_t *h = json_object();
	DIR *d = opendir("/sys/kernel/mm/hugepages");
	struct dirent *de;

	if (!d || !dir) {
		if (d)
			closedir(d);
		return h;
	}
	while ((de = readdir(d))) {
		unsigned long kb;
		char size[32], f[128];
		uint64_t v;
		json_t *o;

		if (sscanf(de->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		if (kb >= 1024 * 1024)
			snprintf(size, sizeof(size), "%luGB", kb / (1024 * 1024));
		else if (kb >= 1024)
			snprintf(size, sizeof(size), "%luMB", kb / 1024);
		else
			snprintf(size, sizeof(size), "%luKB", kb);
		o = json_object();
		snprintf(f, sizeof(f), v2 ? "hugetlb.%s.current" : "hugetlb.%s.usage_in_bytes",
			 size);
		if (!read_u64(dir, f, &v)) {
			json_decref(o);
			continue;
		}
		set_u64(o, "usage", v);
		if (!v2) {
			snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", size);
			if (read_u64(dir, f, &v))
				set_u64(o, "max", v);
			snprintf(f, sizeof(f), "hugetlb.%s.failcnt", size);
			set_u64(o, "failcnt", read_u64(dir, f, &v) ? v : 0);
		} else {
			snprintf(f, sizeof(f), "hugetlb.%s.events", size);
			set_u64(o, "failcnt", cg_read_keyed(dir, f, "max", &v) == 0 ? v : 0);
		}
		json_object_set_new(h, size, o);
	}
	closedir(d);
	return h;
}

static json_t *pids_obj(const char *dir)
{
	json_t *p = json_object();
	uint64_t v;

	if (read_u64(dir, "pids.current", &v))
		set_u64(p, "current", v);
	if (read_u64(dir, "pids.max", &v) && v != UINT64_MAX)
		set_u64(p, "limit", v);
	return p;
}

static json_t *memory_obj(const char *dir, bool v2)
{
	json_t *m = json_object();
	json_t *raw = read_flat(dir, "memory.stat");
	uint64_t v;

	if (!dir)
		return m;
	json_object_set_new(m, "usage", mem_entry(dir, "memory", v2));
	if (v2) {
		json_object_set_new(m, "swap", mem_entry(dir, "memory.swap", true));
	} else {
		json_object_set_new(m, "swap", mem_entry(dir, "memory.memsw", false));
		json_object_set_new(m, "kernel", mem_entry(dir, "memory.kmem", false));
		json_object_set_new(m, "kernelTCP", mem_entry(dir, "memory.kmem.tcp", false));
	}
	if (raw) {
		json_t *cache = json_object_get(raw, v2 ? "file" : "cache");

		if (cache)
			json_object_set(m, "cache", cache);
		json_object_set_new(m, "raw", raw);
	}
	(void)v;
	return m;
}

json_t *cg_stats_v1(struct cgroup_manager *m, struct berth_error *err)
{
	struct cg_hier *h;
	const char *cpu = (h = cg_v1_hier(m, "cpu")) ? h->dir : NULL;
	const char *acct = (h = cg_v1_hier(m, "cpuacct")) ? h->dir : NULL;
	const char *mem = (h = cg_v1_hier(m, "memory")) ? h->dir : NULL;
	const char *pids = (h = cg_v1_hier(m, "pids")) ? h->dir : NULL;
	const char *blk = (h = cg_v1_hier(m, "blkio")) ? h->dir : NULL;
	const char *huge = (h = cg_v1_hier(m, "hugetlb")) ? h->dir : NULL;
	json_t *data = json_object(), *c = json_object(), *usage = json_object(),
	       *thr = json_object(), *blkio = json_object();
	_cleanup_free_ char *s = NULL;
	uint64_t v;
	struct berth_error e;

	(void)err;
	if (read_u64(acct, "cpuacct.usage", &v))
		set_u64(usage, "total", v);
	if (acct && cg_read(acct, "cpuacct.usage_percpu", &s, &e) == 0)
		json_object_set_new(usage, "percpu", u64_array(s));
	free(steal_ptr(&s));
	if (acct && cg_read(acct, "cpuacct.usage_percpu_sys", &s, &e) == 0)
		json_object_set_new(usage, "percpu_kernel", u64_array(s));
	free(steal_ptr(&s));
	if (acct && cg_read(acct, "cpuacct.usage_percpu_user", &s, &e) == 0)
		json_object_set_new(usage, "percpu_user", u64_array(s));
	set_u64(usage, "kernel",
		acct && cg_read_keyed(acct, "cpuacct.stat", "system", &v) == 0
		    ? v * (1000000000ULL / USER_HZ)
		    : 0);
	set_u64(usage, "user",
		acct && cg_read_keyed(acct, "cpuacct.stat", "user", &v) == 0
		    ? v * (1000000000ULL / USER_HZ)
		    : 0);
	if (cpu && cg_read_keyed(cpu, "cpu.stat", "nr_periods", &v) == 0)
		set_u64(thr, "periods", v);
	if (cpu && cg_read_keyed(cpu, "cpu.stat", "nr_throttled", &v) == 0)
		set_u64(thr, "throttledPeriods", v);
	if (cpu && cg_read_keyed(cpu, "cpu.stat", "throttled_time", &v) == 0)
		set_u64(thr, "throttledTime", v);
	json_object_set_new(c, "usage", usage);
	json_object_set_new(c, "throttling", thr);
	json_object_set_new(data, "cpu", c);
	json_object_set_new(data, "memory", memory_obj(mem, false));
	json_object_set_new(data, "pids", pids_obj(pids));
	blkio_v1(blkio, blk, "blkio.throttle.io_service_bytes_recursive",
		 "ioServiceBytesRecursive");
	blkio_v1(blkio, blk, "blkio.throttle.io_serviced_recursive", "ioServicedRecursive");
	json_object_set_new(data, "blkio", blkio);
	json_object_set_new(data, "hugetlb", hugetlb(huge, false));
	return data;
}

json_t *cg_stats_v2(const char *dir, struct berth_error *err)
{
	json_t *data = json_object(), *c = json_object(), *usage = json_object(),
	       *thr = json_object(), *blkio = json_object();
	uint64_t v;

	(void)err;
	/* cpu.stat counts microseconds; runc reports nanoseconds */
	if (cg_read_keyed(dir, "cpu.stat", "usage_usec", &v) == 0)
		set_u64(usage, "total", v * 1000);
	set_u64(usage, "kernel",
		cg_read_keyed(dir, "cpu.stat", "system_usec", &v) == 0 ? v * 1000 : 0);
	set_u64(usage, "user", cg_read_keyed(dir, "cpu.stat", "user_usec", &v) == 0 ? v * 1000 : 0);
	if (cg_read_keyed(dir, "cpu.stat", "nr_periods", &v) == 0)
		set_u64(thr, "periods", v);
	if (cg_read_keyed(dir, "cpu.stat", "nr_throttled", &v) == 0)
		set_u64(thr, "throttledPeriods", v);
	if (cg_read_keyed(dir, "cpu.stat", "throttled_usec", &v) == 0)
		set_u64(thr, "throttledTime", v * 1000);
	json_object_set_new(c, "usage", usage);
	json_object_set_new(c, "throttling", thr);
	json_object_set_new(data, "cpu", c);
	json_object_set_new(data, "memory",
			    cg_exists(dir, "memory.current") ? memory_obj(dir, true)
							     : json_object());
	json_object_set_new(data, "pids", pids_obj(dir));
	blkio_v2(blkio, dir);
	json_object_set_new(data, "blkio", blkio);
	json_object_set_new(data, "hugetlb", hugetlb(dir, true));
	return data;
}
