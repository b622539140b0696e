/* resources_v1.c - writing linux.resources into cgroup v1 controller files.
 *
 * Each value goes to its controller's hierarchy; a value for a controller
 * that is not mounted is an error naming the resource, a controller nobody
 * asked for is skipped. Called before any process joins (create) and on a
 * live cgroup (update, which leaves the device rules alone). Never writes
 * outside the container's own cgroup directories. */
#include "cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

#define RES "linux.resources."

struct cg_hier *cg_v1_hier(struct cgroup_manager *m, const char *controller)
{
	for (size_t i = 0; i < m->n_hier; i++)
		if (cg_list_has(m->hier[i].controllers, controller))
			return &m->hier[i];
	return NULL;
}

static const char *need(struct cgroup_manager *m, const char *ctrl, const char *field,
			struct berth_error *err)
{
	struct cg_hier *h = cg_v1_hier(m, ctrl);

	if (!h) {
		berr_set(err, RES "%s: the cgroup v1 \"%s\" controller is not mounted on this host",
			 field, ctrl);
		return NULL;
	}
	return h->dir;
}

/* Write and, on failure, name the OCI field first. */
#define WRITEF(dir, file, field, ...)                                                              \
	do {                                                                                       \
		if (cg_writef((dir), (file), err, __VA_ARGS__) < 0)                                \
			return berr_prefix(err, RES "%s", (field));                                \
	} while (0)

static int memory_limit_and_swap(const char *dir, const struct berth_memory *mem,
				 struct berth_error *err)
{
	bool has_l = mem->has_limit && mem->limit != 0;
	bool has_s = mem->has_swap && mem->swap != 0;
	bool swap_first = false;
	struct berth_memory unlimited;

	/* "no memory limit" without a word on swap lifts the memsw limit too,
	 * else the old memsw value would still cap memory (runc does the same) */
	if (has_l && mem->limit == -1 && !has_s && cg_exists(dir, "memory.memsw.limit_in_bytes")) {
		unlimited = *mem;
		unlimited.has_swap = true;
		unlimited.swap = -1;
		mem = &unlimited;
		has_s = true;
	}

	if (has_l && has_s && mem->swap != -1 && (mem->limit == -1 || mem->swap < mem->limit))
		return berr_set(err,
				RES "memory.swap: memory+swap limit (%" PRId64
				    ") must be at least the memory limit (%" PRId64 ")",
				mem->swap, mem->limit);
	if (has_s && !cg_exists(dir, "memory.memsw.limit_in_bytes"))
		return berr_set(err,
				RES "memory.swap: %s/memory.memsw.limit_in_bytes does not exist "
				    "(swap accounting is off)",
				dir);
	if (has_l && has_s) {
		int64_t cur;

		/* memsw must stay >= the memory limit at every step: raise it first
		 * when the limit goes up */
		if (cg_read_i64(dir, "memory.limit_in_bytes", &cur, err) < 0)
			return berr_prefix(err, RES "memory.limit");
		swap_first = mem->limit == -1 || mem->swap == -1 || mem->limit > cur;
	}
	if (swap_first)
		WRITEF(dir, "memory.memsw.limit_in_bytes", "memory.swap", "%" PRId64, mem->swap);
	if (has_l)
		WRITEF(dir, "memory.limit_in_bytes", "memory.limit", "%" PRId64, mem->limit);
	if (has_s && !swap_first)
		WRITEF(dir, "memory.memsw.limit_in_bytes", "memory.swap", "%" PRId64, mem->swap);
	return 0;
}

static int apply_memory(struct cgroup_manager *m, const struct berth_memory *mem, bool update,
			struct berth_error *err)
{
	const char *dir;

	if (!mem->present)
		return 0;
	if (!(mem->has_limit || mem->has_reservation || mem->has_swap || mem->has_swappiness ||
	      mem->has_disable_oom_killer || mem->has_kernel || mem->has_kernel_tcp))
		return 0;
	dir = need(m, "memory", "memory", err);
	if (!dir)
		return -1;
	if (update && mem->check_before_update && mem->has_limit && mem->limit > 0) {
		uint64_t usage;

		if (cg_read_u64(dir, "memory.usage_in_bytes", &usage, err) < 0)
			return berr_prefix(err, RES "memory.checkBeforeUpdate");
		if (usage > (uint64_t)mem->limit)
			return berr_set(err,
					RES "memory.limit: new limit %" PRId64
					    " is below the current usage %" PRIu64
					    " (%s/memory.usage_in_bytes)",
					mem->limit, usage, dir);
	}
	if (memory_limit_and_swap(dir, mem, err) < 0)
		return -1;
	if (mem->has_reservation && mem->reservation != 0)
		WRITEF(dir, "memory.soft_limit_in_bytes", "memory.reservation", "%" PRId64,
		       mem->reservation);
	if (mem->has_kernel && mem->kernel != 0)
		log_debug("linux.resources.memory.kernel is deprecated and ignored");
	if (mem->has_kernel_tcp && mem->kernel_tcp != 0)
		WRITEF(dir, "memory.kmem.tcp.limit_in_bytes", "memory.kernelTCP", "%" PRId64,
		       mem->kernel_tcp);
	if (mem->has_swappiness) {
		if (mem->swappiness > 100)
			return berr_set(
			    err, RES "memory.swappiness: %" PRIu64 " is not in the range 0-100",
			    mem->swappiness);
		WRITEF(dir, "memory.swappiness", "memory.swappiness", "%" PRIu64, mem->swappiness);
	}
	if (mem->has_disable_oom_killer && (mem->disable_oom_killer || update))
		WRITEF(dir, "memory.oom_control", "memory.disableOOMKiller", "%d",
		       mem->disable_oom_killer ? 1 : 0);
	return 0;
}

static int check_shares(const char *dir, uint64_t want, struct berth_error *err)
{
	uint64_t got;

	/* the kernel clamps cpu.shares silently; an out-of-range value is an error */
	if (cg_read_u64(dir, "cpu.shares", &got, err) < 0)
		return berr_prefix(err, RES "cpu.shares");
	if (got != want)
		return berr_set(err,
				RES "cpu.shares: %" PRIu64
				    " is out of range (the kernel set %s/cpu.shares "
				    "to %" PRIu64 ")",
				want, dir, got);
	return 0;
}

static int apply_cpu_bandwidth(const char *dir, const struct berth_cpu *cpu,
			       struct berth_error *err)
{
	bool has_p = cpu->has_period && cpu->period != 0;
	bool has_q = cpu->has_quota && cpu->quota != 0;

	if (has_p && cg_writef(dir, "cpu.cfs_period_us", err, "%" PRIu64, cpu->period) < 0) {
		/* a shorter period can conflict with the old quota: quota first, then retry */
		if (err->errnum != EINVAL || !has_q)
			return berr_prefix(err, RES "cpu.period");
		WRITEF(dir, "cpu.cfs_quota_us", "cpu.quota", "%" PRId64, cpu->quota);
		WRITEF(dir, "cpu.cfs_period_us", "cpu.period", "%" PRIu64, cpu->period);
		has_q = false;
	}
	if (has_q)
		WRITEF(dir, "cpu.cfs_quota_us", "cpu.quota", "%" PRId64, cpu->quota);
	if (cpu->has_burst)
		WRITEF(dir, "cpu.cfs_burst_us", "cpu.burst", "%" PRIu64, cpu->burst);
	if (cpu->has_realtime_period && cpu->realtime_period != 0)
		WRITEF(dir, "cpu.rt_period_us", "cpu.realtimePeriod", "%" PRIu64,
		       cpu->realtime_period);
	if (cpu->has_realtime_runtime && cpu->realtime_runtime != 0)
		WRITEF(dir, "cpu.rt_runtime_us", "cpu.realtimeRuntime", "%" PRId64,
		       cpu->realtime_runtime);
	return 0;
}

static int apply_cpu(struct cgroup_manager *m, const struct berth_cpu *cpu, struct berth_error *err)
{
	if (!cpu->present)
		return 0;
	if ((cpu->has_shares && cpu->shares) || (cpu->has_quota && cpu->quota) ||
	    (cpu->has_period && cpu->period) || cpu->has_burst || cpu->has_idle ||
	    (cpu->has_realtime_period && cpu->realtime_period) ||
	    (cpu->has_realtime_runtime && cpu->realtime_runtime)) {
		const char *dir = need(m, "cpu", "cpu", err);

		if (!dir)
			return -1;
		if (cpu->has_shares && cpu->shares) {
			WRITEF(dir, "cpu.shares", "cpu.shares", "%" PRIu64, cpu->shares);
			if (check_shares(dir, cpu->shares, err) < 0)
				return -1;
		}
		if (apply_cpu_bandwidth(dir, cpu, err) < 0)
			return -1;
		if (cpu->has_idle)
			WRITEF(dir, "cpu.idle", "cpu.idle", "%" PRId64, cpu->idle);
	}
	if ((cpu->cpus && *cpu->cpus) || (cpu->mems && *cpu->mems)) {
		const char *dir = need(m, "cpuset", "cpu.cpus", err);

		if (!dir)
			return -1;
		if (cpu->cpus && *cpu->cpus)
			WRITEF(dir, "cpuset.cpus", "cpu.cpus", "%s", cpu->cpus);
		if (cpu->mems && *cpu->mems)
			WRITEF(dir, "cpuset.mems", "cpu.mems", "%s", cpu->mems);
	}
	return 0;
}

static int apply_pids(struct cgroup_manager *m, const struct berth_resources *r,
		      struct berth_error *err)
{
	const char *dir;

	if (!r->has_pids_limit)
		return 0;
	dir = need(m, "pids", "pids.limit", err);
	if (!dir)
		return -1;
	if (r->pids_limit > 0)
		WRITEF(dir, "pids.max", "pids.limit", "%" PRId64, r->pids_limit);
	else
		WRITEF(dir, "pids.max", "pids.limit", "max");
	return 0;
}

static int throttle(const char *dir, const char *file, const char *field,
		    const struct berth_throttle_device *t, size_t n, struct berth_error *err)
{
	for (size_t i = 0; i < n; i++)
		WRITEF(dir, file, field, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major, t[i].minor,
		       t[i].rate);
	return 0;
}

static int apply_blkio(struct cgroup_manager *m, const struct berth_block_io *b,
		       struct berth_error *err)
{
	const char *dir;
	const char *wfile = "blkio.weight";
	const char *wdfile = "blkio.weight_device";

	if (!b->present)
		return 0;
	if (!(b->has_weight || b->has_leaf_weight || b->n_weight_devices ||
	      b->n_throttle_read_bps || b->n_throttle_write_bps || b->n_throttle_read_iops ||
	      b->n_throttle_write_iops))
		return 0;
	dir = need(m, "blkio", "blockIO", err);
	if (!dir)
		return -1;
	/* with the BFQ scheduler the kernel only offers the bfq files */
	if (!cg_exists(dir, wfile) && cg_exists(dir, "blkio.bfq.weight")) {
		wfile = "blkio.bfq.weight";
		wdfile = "blkio.bfq.weight_device";
	}
	if (b->has_weight && b->weight)
		WRITEF(dir, wfile, "blockIO.weight", "%u", (unsigned)b->weight);
	if (b->has_leaf_weight && b->leaf_weight)
		WRITEF(dir, "blkio.leaf_weight", "blockIO.leafWeight", "%u",
		       (unsigned)b->leaf_weight);
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct berth_weight_device *w = &b->weight_devices[i];

		if (w->has_weight)
			WRITEF(dir, wdfile, "blockIO.weightDevice", "%" PRId64 ":%" PRId64 " %u",
			       w->major, w->minor, (unsigned)w->weight);
		if (w->has_leaf_weight)
			WRITEF(dir, "blkio.leaf_weight_device", "blockIO.weightDevice",
			       "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
			       (unsigned)w->leaf_weight);
	}
	if (throttle(dir, "blkio.throttle.read_bps_device", "blockIO.throttleReadBpsDevice",
		     b->throttle_read_bps, b->n_throttle_read_bps, err) < 0 ||
	    throttle(dir, "blkio.throttle.write_bps_device", "blockIO.throttleWriteBpsDevice",
		     b->throttle_write_bps, b->n_throttle_write_bps, err) < 0 ||
	    throttle(dir, "blkio.throttle.read_iops_device", "blockIO.throttleReadIOPSDevice",
		     b->throttle_read_iops, b->n_throttle_read_iops, err) < 0 ||
	    throttle(dir, "blkio.throttle.write_iops_device", "blockIO.throttleWriteIOPSDevice",
		     b->throttle_write_iops, b->n_throttle_write_iops, err) < 0)
		return -1;
	return 0;
}

static int apply_hugetlb(struct cgroup_manager *m, const struct berth_resources *r,
			 struct berth_error *err)
{
	const char *dir;

	if (!r->n_hugepage_limits)
		return 0;
	dir = need(m, "hugetlb", "hugepageLimits", err);
	if (!dir)
		return -1;
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		char file[128];

		snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes",
			 r->hugepage_limits[i].page_size);
		WRITEF(dir, file, "hugepageLimits", "%" PRIu64, r->hugepage_limits[i].limit);
	}
	return 0;
}

static int apply_network(struct cgroup_manager *m, const struct berth_network_resources *n,
			 struct berth_error *err)
{
	if (!n->present)
		return 0;
	if (n->has_class_id) {
		const char *dir = need(m, "net_cls", "network.classID", err);

		if (!dir)
			return -1;
		WRITEF(dir, "net_cls.classid", "network.classID", "%u", n->class_id);
	}
	if (n->n_priorities) {
		const char *dir = need(m, "net_prio", "network.priorities", err);

		if (!dir)
			return -1;
		for (size_t i = 0; i < n->n_priorities; i++)
			WRITEF(dir, "net_prio.ifpriomap", "network.priorities", "%s %u",
			       n->priorities[i].name, n->priorities[i].priority);
	}
	return 0;
}

static void rdma_line(const struct berth_rdma_limit *l, char *buf, size_t len)
{
	char h[24] = "max", o[24] = "max";

	if (l->has_hca_handles)
		snprintf(h, sizeof(h), "%u", l->hca_handles);
	if (l->has_hca_objects)
		snprintf(o, sizeof(o), "%u", l->hca_objects);
	snprintf(buf, len, "%s hca_handle=%s hca_object=%s", l->device, h, o);
}

static int apply_rdma(struct cgroup_manager *m, const struct berth_resources *r,
		      struct berth_error *err)
{
	const char *dir;

	if (!r->n_rdma)
		return 0;
	dir = need(m, "rdma", "rdma", err);
	if (!dir)
		return -1;
	for (size_t i = 0; i < r->n_rdma; i++) {
		char line[256];

		rdma_line(&r->rdma[i], line, sizeof(line));
		WRITEF(dir, "rdma.max", "rdma", "%s", line);
	}
	return 0;
}

/* The kernel takes one rule per write(), not per open(): each of
 * devices.allow / devices.deny (fds[1] / fds[0]) is opened once. */
static int devices_write(const char *dir, int fds[2], bool allow, const char *line,
			 struct berth_error *err)
{
	const char *file = allow ? "devices.allow" : "devices.deny";
	size_t len = strlen(line);

	if (fds[allow] < 0) {
		_cleanup_free_ char *path = cg_join(dir, file);
		if (!path)
			return berr_sys(err, ENOMEM, "open %s/%s", dir, file);
		fds[allow] = open(path, O_WRONLY | O_CLOEXEC);
		if (fds[allow] < 0)
			return berr_sys(err, errno, "open %s", path);
	}
	ssize_t w = write(fds[allow], line, len);
	if (w < 0)
		return berr_sys(err, errno, "write %s/%s", dir, file);
	if ((size_t)w != len)
		return berr_set(err, "write %s/%s: short write", dir, file);
	return 0;
}

static int apply_devices(struct cgroup_manager *m, const struct berth_resources *r,
			 struct berth_error *err)
{
	_cleanup_close_ int deny_fd = -1, allow_fd = -1;
	struct cg_hier *h = cg_v1_hier(m, "devices");
	struct cg_device_list l;
	int ret = 0;

	if (!h) {
		if (r && r->n_devices)
			return berr_set(err, RES "devices: the cgroup v1 \"devices\" controller is "
						 "not mounted on this host");
		return 0;
	}
	if (cg_device_rules(r, &l, err) < 0)
		return -1;
	int fds[2] = {-1, -1};
	/* start from "deny everything", then apply the rules in order */
	if (devices_write(h->dir, fds, false, "a", err) < 0)
		ret = berr_prefix(err, RES "devices");
	for (size_t i = 0; ret == 0 && i < l.n; i++) {
		char line[96];

		cg_device_rule_v1(&l.rules[i], line, sizeof(line));
		if (devices_write(h->dir, fds, l.rules[i].allow, line, err) < 0)
			ret = berr_prefix(err, RES "devices[%zu] \"%s\"", i, line);
	}
	deny_fd = fds[0];
	allow_fd = fds[1];
	free(l.rules);
	return ret;
}

int cg_v1_apply(struct cgroup_manager *m, const struct berth_resources *r, bool update,
		struct berth_error *err)
{
	/* devices first: they apply even without linux.resources */
	if (!update && !m->rootless && apply_devices(m, r, err) < 0)
		return -1;
	if (!r || !r->present)
		return 0;
	if (apply_memory(m, &r->memory, update, err) < 0 || apply_cpu(m, &r->cpu, err) < 0 ||
	    apply_pids(m, r, err) < 0 || apply_blkio(m, &r->block_io, err) < 0 ||
	    apply_hugetlb(m, r, err) < 0 || apply_network(m, &r->network, err) < 0 ||
	    apply_rdma(m, r, err) < 0)
		return -1;
	return 0;
}
