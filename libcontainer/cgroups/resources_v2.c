/* resources_v2.c - writing linux.resources into one cgroup v2 directory.
 *
 * v1-shaped OCI values are converted (convert.c); values v2 has no file for
 * are an error when they would change behaviour (realtime, network) and a
 * warning when they are only advice (swappiness, disableOOMKiller). Device
 * rules become an eBPF program (bpf_devices.c). Never writes outside the
 * container's own cgroup directory. */
#include "cgroup_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

#define RES "linux.resources."

#define WRITEF(dir, file, field, ...)                                                              \
	do {                                                                                       \
		if (cg_writef((dir), (file), err, __VA_ARGS__) < 0)                                \
			return berr_prefix(err, RES "%s", (field));                                \
	} while (0)

static int apply_memory(const char *dir, const struct berth_memory *mem, bool update,
			struct berth_error *err)
{
	char buf[64];
	int r;

	if (!mem->present)
		return 0;
	if (update && mem->check_before_update && mem->has_limit && mem->limit > 0) {
		uint64_t usage;

		if (cg_read_u64(dir, "memory.current", &usage, err) < 0)
			return berr_prefix(err, RES "memory.checkBeforeUpdate");
		if (usage > (uint64_t)mem->limit)
			return berr_set(err,
					RES "memory.limit: new limit %" PRId64
					    " is below the current usage %" PRIu64
					    " (%s/memory.current)",
					mem->limit, usage, dir);
	}
	r = cg_swap_to_v2(mem->has_swap, mem->swap, mem->has_limit, mem->limit, buf, sizeof(buf),
			  err);
	if (r < 0)
		return -1;
	/* a lower memory.max first, so the pair never allows more than either asks */
	if (mem->has_limit && mem->limit != 0) {
		char lim[32];

		cg_limit_v2(mem->limit, lim, sizeof(lim));
		WRITEF(dir, "memory.max", "memory.limit", "%s", lim);
	}
	if (r == 0)
		WRITEF(dir, "memory.swap.max", "memory.swap", "%s", buf);
	if (mem->has_reservation && mem->reservation != 0) {
		char low[32];

		cg_limit_v2(mem->reservation, low, sizeof(low));
		WRITEF(dir, "memory.low", "memory.reservation", "%s", low);
	}
	if (mem->has_swappiness)
		log_warn(
		    "linux.resources.memory.swappiness is not supported on cgroup v2; ignored");
	if (mem->has_disable_oom_killer && mem->disable_oom_killer)
		log_warn("linux.resources.memory.disableOOMKiller is not supported on cgroup v2; "
			 "ignored");
	if ((mem->has_kernel && mem->kernel) || (mem->has_kernel_tcp && mem->kernel_tcp))
		log_debug("kernel memory limits do not exist on cgroup v2; ignored");
	return 0;
}

static int apply_cpu(const char *dir, const struct berth_cpu *cpu, struct berth_error *err)
{
	char buf[64];

	if (!cpu->present)
		return 0;
	if ((cpu->has_realtime_runtime && cpu->realtime_runtime) ||
	    (cpu->has_realtime_period && cpu->realtime_period))
		return berr_set(err, RES "cpu.realtimeRuntime/realtimePeriod: not supported on "
					 "cgroup v2");
	if (cpu->has_shares && cpu->shares) {
		if (cpu->shares < 2 || cpu->shares > 262144)
			return berr_set(err,
					RES "cpu.shares: %" PRIu64 " is not in the range 2-262144",
					cpu->shares);
		WRITEF(dir, "cpu.weight", "cpu.shares", "%" PRIu64,
		       cg_shares_to_weight(cpu->shares));
	}
	if (cg_cpu_max(cpu->has_quota, cpu->quota, cpu->has_period, cpu->period, buf,
		       sizeof(buf)) == 0)
		WRITEF(dir, "cpu.max", "cpu.quota", "%s", buf);
	if (cpu->has_burst)
		WRITEF(dir, "cpu.max.burst", "cpu.burst", "%" PRIu64, cpu->burst);
	if (cpu->has_idle)
		WRITEF(dir, "cpu.idle", "cpu.idle", "%" PRId64, cpu->idle);
	if (cpu->cpus && *cpu->cpus)
		WRITEF(dir, "cpuset.cpus", "cpu.cpus", "%s", cpu->cpus);
	if (cpu->mems && *cpu->mems)
		WRITEF(dir, "cpuset.mems", "cpu.mems", "%s", cpu->mems);
	return 0;
}

static int io_max(const char *dir, const char *key, const char *field,
		  const struct berth_throttle_device *t, size_t n, struct berth_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].rate)
			WRITEF(dir, "io.max", field, "%" PRId64 ":%" PRId64 " %s=%" PRIu64,
			       t[i].major, t[i].minor, key, t[i].rate);
		else
			WRITEF(dir, "io.max", field, "%" PRId64 ":%" PRId64 " %s=max", t[i].major,
			       t[i].minor, key);
	}
	return 0;
}

static int apply_io(const char *dir, const struct berth_block_io *b, struct berth_error *err)
{
	/* BFQ takes the v1-range weight as is; io.weight wants the converted one */
	bool bfq = cg_exists(dir, "io.bfq.weight");
	const char *wfile = bfq ? "io.bfq.weight" : "io.weight";

	if (!b->present)
		return 0;
	if (b->has_weight && b->weight)
		WRITEF(dir, wfile, "blockIO.weight", "default %" PRIu64,
		       bfq ? (uint64_t)b->weight : cg_blkio_weight_to_io_weight(b->weight));
	if (b->has_leaf_weight)
		log_debug(
		    "linux.resources.blockIO.leafWeight does not exist on cgroup v2; ignored");
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct berth_weight_device *w = &b->weight_devices[i];

		if (w->has_weight)
			WRITEF(dir, wfile, "blockIO.weightDevice",
			       "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
			       bfq ? (uint64_t)w->weight : cg_blkio_weight_to_io_weight(w->weight));
	}
	if (io_max(dir, "rbps", "blockIO.throttleReadBpsDevice", b->throttle_read_bps,
		   b->n_throttle_read_bps, err) < 0 ||
	    io_max(dir, "wbps", "blockIO.throttleWriteBpsDevice", b->throttle_write_bps,
		   b->n_throttle_write_bps, err) < 0 ||
	    io_max(dir, "riops", "blockIO.throttleReadIOPSDevice", b->throttle_read_iops,
		   b->n_throttle_read_iops, err) < 0 ||
	    io_max(dir, "wiops", "blockIO.throttleWriteIOPSDevice", b->throttle_write_iops,
		   b->n_throttle_write_iops, err) < 0)
		return -1;
	return 0;
}

static int apply_misc(const char *dir, const struct berth_resources *r, struct berth_error *err)
{
	if (r->has_pids_limit) {
		if (r->pids_limit > 0)
			WRITEF(dir, "pids.max", "pids.limit", "%" PRId64, r->pids_limit);
		else
			WRITEF(dir, "pids.max", "pids.limit", "max");
	}
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		char file[128];

		snprintf(file, sizeof(file), "hugetlb.%s.max", r->hugepage_limits[i].page_size);
		WRITEF(dir, file, "hugepageLimits", "%" PRIu64, r->hugepage_limits[i].limit);
	}
	if (r->network.present && (r->network.has_class_id || r->network.n_priorities))
		return berr_set(err, RES "network: net_cls/net_prio do not exist on cgroup v2");
	for (size_t i = 0; i < r->n_rdma; i++) {
		const struct berth_rdma_limit *l = &r->rdma[i];
		char h[24] = "max", o[24] = "max";

		if (l->has_hca_handles)
			snprintf(h, sizeof(h), "%u", l->hca_handles);
		if (l->has_hca_objects)
			snprintf(o, sizeof(o), "%u", l->hca_objects);
		WRITEF(dir, "rdma.max", "rdma", "%s hca_handle=%s hca_object=%s", l->device, h, o);
	}
	return 0;
}

/* linux.resources.unified: raw "file": "value" pairs, written as given. */
int cg_v2_apply_unified(const char *dir, const struct berth_resources *r, struct berth_error *err)
{
	for (size_t i = 0; r && i < r->n_unified; i++) {
		const char *key = r->unified[i].key;

		if (!*key || strchr(key, '/') || key[0] == '.' || !strchr(key, '.'))
			return berr_set(err, RES "unified: invalid cgroup file name \"%s\"", key);
		if (cg_write(dir, key, r->unified[i].value, err) < 0)
			return berr_prefix(err, RES "unified.%s", key);
	}
	return 0;
}

int cg_v2_apply(struct cgroup_manager *m, const struct berth_resources *r, bool update,
		struct berth_error *err)
{
	const char *dir = m->v2_dir;

	if (!update && !m->rootless) {
		struct cg_device_list l;
		int fd = cg_v2_open_fd(m);
		int ret;

		if (fd < 0)
			return berr_sys(err, errno, "open %s", dir);
		if (cg_device_rules(r, &l, err) < 0)
			return -1;
		ret = cg_bpf_devices_apply(fd, l.rules, l.n, err);
		free(l.rules);
		if (ret < 0)
			return berr_prefix(err, RES "devices");
	}
	if (!r || !r->present)
		return 0;
	if (apply_memory(dir, &r->memory, update, err) < 0 || apply_cpu(dir, &r->cpu, err) < 0 ||
	    apply_io(dir, &r->block_io, err) < 0 || apply_misc(dir, r, err) < 0 ||
	    cg_v2_apply_unified(dir, r, err) < 0)
		return -1;
	return 0;
}
