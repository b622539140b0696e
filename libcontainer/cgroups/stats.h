/* stats.h - a cgroup's counters as typed data: what `events --stats`
 * reports (runtime/stats_json.c renders it in runc's JSON shape).
 *
 * Best effort, as runc's stats are: a file the kernel does not offer leaves
 * its field out (has_* false, a list not present) instead of failing.
 * Numbers are already in runc's units (nanoseconds, bytes). Lists keep the
 * order of the files they come from. */
#ifndef BERTH_CGROUP_STATS_H
#define BERTH_CGROUP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A list read from one file; present even when empty if the file was. */
struct cgroup_u64_list {
	bool present;
	uint64_t *v;
	size_t n;
};

struct cgroup_cpu_stats {
	bool has_total;
	uint64_t total;
	struct cgroup_u64_list percpu, percpu_kernel, percpu_user; /* v1 only */
	uint64_t kernel, user;					   /* 0 when unknown */
	bool has_periods, has_throttled_periods, has_throttled_time;
	uint64_t periods, throttled_periods, throttled_time;
};

/* One memory counter family: memory, swap, v1's kmem and kmem.tcp. Swap
 * counts memory + swap on v2 too, as v1's memsw does (runc adds them). */
struct cgroup_mem_entry {
	bool has_usage, has_max; /* max: v1 only (runc 1.1 reads no v2 peak) */
	uint64_t usage, max;
	uint64_t limit;	  /* no limit: UINT64_MAX on v2; unreadable on v1: 0 */
	uint64_t failcnt; /* v2: the "max" count of *.events */
};

/* One "key value" line of memory.stat. */
struct cgroup_stat_kv {
	char *key;
	uint64_t value;
};

struct cgroup_memory_stats {
	bool present; /* false: no memory controller for this cgroup */
	struct cgroup_mem_entry usage, swap;
	bool has_kernel; /* v1: kernel (kmem) and kernel_tcp (kmem.tcp) */
	struct cgroup_mem_entry kernel, kernel_tcp;
	bool has_cache; /* memory.stat "cache" (v1) or "file" (v2) */
	uint64_t cache;
	bool has_raw; /* memory.stat, every line */
	struct cgroup_stat_kv *raw;
	size_t n_raw;
};

struct cgroup_pids_stats {
	bool has_current, has_limit; /* no limit ("max"): has_limit false */
	uint64_t current, limit;
};

struct cgroup_blkio_entry {
	unsigned major, minor;
	char op[32]; /* "Read", "Write", v1's "Sync", "Total", ... */
	uint64_t value;
};

struct cgroup_blkio_list {
	bool present;
	struct cgroup_blkio_entry *v;
	size_t n;
};

/* One hugetlb page size ("2MB", "1GB") the kernel offers. */
struct cgroup_hugetlb_stats {
	char size[32];
	uint64_t usage;
	bool has_max; /* v1 only */
	uint64_t max;
	uint64_t failcnt;
};

/* The cpuset controller's settings and counters (runc reports them as
 * stats). Files the kernel does not offer stay 0, lists empty. */
struct cgroup_cpuset_stats {
	uint16_t *cpus, *mems; /* cpuset.cpus, cpuset.mems expanded: "0-2" is 0,1,2 */
	size_t n_cpus, n_mems;
	uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate;
	uint64_t memory_spread_page, memory_spread_slab, memory_pressure, sched_load_balance;
	int64_t sched_relax_domain_level;
};

struct cgroup_stats {
	bool present; /* false: no cgroup at all (the disabled driver) */
	struct cgroup_cpu_stats cpu;
	struct cgroup_cpuset_stats cpuset;
	struct cgroup_memory_stats memory;
	struct cgroup_pids_stats pids;
	struct cgroup_blkio_list io_service_bytes, io_serviced;
	struct cgroup_hugetlb_stats *hugetlb;
	size_t n_hugetlb;
};

/* Free what s owns and zero it; safe on a zeroed or half-filled s. */
void cgroup_stats_free(struct cgroup_stats *s);

#endif
