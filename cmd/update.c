/* update.c - `berth update [--resources FILE|-] [--memory N ...] ID`: change
 * a live container's cgroup limits. Reads an OCI LinuxResources document
 * and/or runc's individual flags (flags win over the document). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/readall.h"
#include "runtime/resources.h"

enum {
	OPT_RESOURCES = 'r',
	OPT_BLKIO_WEIGHT = 256,
	OPT_CPU_PERIOD,
	OPT_CPU_QUOTA,
	OPT_CPU_BURST,
	OPT_CPU_RT_PERIOD,
	OPT_CPU_RT_RUNTIME,
	OPT_CPU_SHARE,
	OPT_CPU_IDLE,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_KERNEL_MEMORY,
	OPT_KERNEL_MEMORY_TCP,
	OPT_MEMORY,
	OPT_MEMORY_RESERVATION,
	OPT_MEMORY_SWAP,
	OPT_PIDS_LIMIT,
	OPT_L3_CACHE,
	OPT_MEM_BW,
};

static const struct option update_opts[] = {
    {"resources", required_argument, NULL, OPT_RESOURCES},
    {"blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpu-burst", required_argument, NULL, OPT_CPU_BURST},
    {"cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD},
    {"cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME},
    {"cpu-share", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-idle", required_argument, NULL, OPT_CPU_IDLE},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {"kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY},
    {"kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {"l3-cache-schema", required_argument, NULL, OPT_L3_CACHE},
    {"mem-bw-schema", required_argument, NULL, OPT_MEM_BW},
    {NULL, 0, NULL, 0},
};

/* "256m", "1G", "1024", "-1" -> bytes (binary units, as runc's RAMInBytes). */
static int parse_bytes(const char *s, int64_t *out)
{
	char *end;
	long long v;
	int shift = 0;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (v == -1 && !*end) {
		*out = -1;
		return 0;
	}
	if (v < 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'b':
		end++;
		break;
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	case 't':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (shift) {
		end++;
		if (tolower((unsigned char)*end) == 'i')
			end++;
		if (tolower((unsigned char)*end) == 'b')
			end++;
	}
	if (*end || v > (INT64_MAX >> shift))
		return -1;
	*out = (int64_t)v << shift;
	return 0;
}

static int parse_i64(const char *s, int64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (*s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

/* FILE, or "-" for stdin, whole. */
static int read_resources(const char *path, char **out, size_t *len, struct berth_error *err)
{
	bool std_in = strcmp(path, "-") == 0;
	_cleanup_close_ int fd = std_in ? -1 : open(path, O_RDONLY | O_CLOEXEC);

	if (!std_in && fd < 0)
		return berr_sys(err, errno, "open %s", path);
	if (read_all_fd(std_in ? STDIN_FILENO : fd, 0, 0, out, len) < 0)
		return berr_sys(err, errno, "read %s", path);
	return 0;
}

/* One runc flag into the resources. Returns -1 with err set on a bad value. */
static int apply_flag(int c, const char *v, struct berth_resources *r, struct berth_error *err)
{
	const char *name = NULL;
	int bad = 0;

	for (const struct option *o = update_opts; o->name; o++)
		if (o->val == c)
			name = o->name;
	r->present = true;
	switch (c) {
	case OPT_BLKIO_WEIGHT: {
		uint64_t w = 0;
		bad = parse_u64(v, &w) < 0 || w > 1000;
		r->block_io.present = r->block_io.has_weight = true;
		r->block_io.weight = (uint16_t)w;
		break;
	}
	case OPT_CPU_PERIOD:
		r->cpu.present = r->cpu.has_period = true;
		bad = parse_u64(v, &r->cpu.period);
		break;
	case OPT_CPU_QUOTA:
		r->cpu.present = r->cpu.has_quota = true;
		bad = parse_i64(v, &r->cpu.quota);
		break;
	case OPT_CPU_BURST:
		r->cpu.present = r->cpu.has_burst = true;
		bad = parse_u64(v, &r->cpu.burst);
		break;
	case OPT_CPU_RT_PERIOD:
		r->cpu.present = r->cpu.has_realtime_period = true;
		bad = parse_u64(v, &r->cpu.realtime_period);
		break;
	case OPT_CPU_RT_RUNTIME:
		r->cpu.present = r->cpu.has_realtime_runtime = true;
		bad = parse_i64(v, &r->cpu.realtime_runtime);
		break;
	case OPT_CPU_SHARE:
		r->cpu.present = r->cpu.has_shares = true;
		bad = parse_u64(v, &r->cpu.shares);
		break;
	case OPT_CPU_IDLE:
		r->cpu.present = r->cpu.has_idle = true;
		bad = parse_i64(v, &r->cpu.idle);
		break;
	case OPT_CPUSET_CPUS:
	case OPT_CPUSET_MEMS: {
		char **dst = c == OPT_CPUSET_CPUS ? &r->cpu.cpus : &r->cpu.mems;
		free(*dst);
		*dst = strdup(v);
		r->cpu.present = true;
		bad = !*dst;
		break;
	}
	case OPT_KERNEL_MEMORY:
		r->memory.present = r->memory.has_kernel = true;
		bad = parse_bytes(v, &r->memory.kernel);
		break;
	case OPT_KERNEL_MEMORY_TCP:
		r->memory.present = r->memory.has_kernel_tcp = true;
		bad = parse_bytes(v, &r->memory.kernel_tcp);
		break;
	case OPT_MEMORY:
		r->memory.present = r->memory.has_limit = true;
		bad = parse_bytes(v, &r->memory.limit);
		break;
	case OPT_MEMORY_RESERVATION:
		r->memory.present = r->memory.has_reservation = true;
		bad = parse_bytes(v, &r->memory.reservation);
		break;
	case OPT_MEMORY_SWAP:
		r->memory.present = r->memory.has_swap = true;
		bad = parse_bytes(v, &r->memory.swap);
		break;
	case OPT_PIDS_LIMIT:
		r->has_pids_limit = true;
		bad = parse_i64(v, &r->pids_limit);
		break;
	case OPT_L3_CACHE:
	case OPT_MEM_BW:
		return berr_set(err, "--%s: Intel RDT is not supported by berth", name);
	}
	if (bad)
		return berr_set(err, "invalid value for --%s: %s", name ? name : "?", v);
	return 0;
}

static int run_update(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct {
		int opt;
		const char *val;
	} flags[32];
	size_t n_flags = 0;
	const char *file = NULL;
	struct berth_spec *holder = NULL;
	_cleanup_free_ char *doc = NULL;
	size_t len = 0;
	struct runtime_opts ro;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "r:", update_opts)) != -1) {
		if (c == OPT_RESOURCES)
			file = optarg;
		else if (c >= OPT_BLKIO_WEIGHT && n_flags < sizeof(flags) / sizeof(*flags))
			flags[n_flags++] = (typeof(flags[0])){c, optarg};
		else if (c == ':')
			return cli_usage_error(&cli_cmd_update, "flag needs an argument");
		else
			return cli_usage_error(&cli_cmd_update, "flag provided but not defined");
	}
	rc = cli_require_args(&cli_cmd_update, argc, 1, "<container-id>");
	if (rc)
		return -rc;
	if (file && read_resources(file, &doc, &len, err) < 0)
		return -1;
	if (update_resources_parse(doc ? doc : "{}", doc ? len : 2, &holder, err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < n_flags; i++)
		rc = apply_flag(flags[i].opt, flags[i].val, &holder->linux_.resources, err);
	if (rc == 0) {
		cli_runtime_opts(g, &ro);
		rc = runtime_update(&ro, argv[optind], &holder->linux_.resources, err);
	}
	berth_spec_free(holder);
	return rc < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_update = {
    .name = "update",
    .run = run_update,
    .usage = "update [command options] <container-id>",
    .summary = "update container resource constraints",
    .options =
	"   --resources value, -r value  path to the file containing the resources to update or "
	"'-' to read from the standard input\n"
	"   --blkio-weight value         Specifies per cgroup weight, range is from 10 to 1000\n"
	"   --cpu-period value           CPU CFS period to be used for hardcapping (in usecs)\n"
	"   --cpu-quota value            CPU CFS hardcap limit (in usecs)\n"
	"   --cpu-burst value            CPU CFS hardcap burst limit (in usecs)\n"
	"   --cpu-rt-period value        CPU realtime period to be used for hardcapping (in "
	"usecs)\n"
	"   --cpu-rt-runtime value       CPU realtime hardcap limit (in usecs)\n"
	"   --cpu-share value            CPU shares (relative weight vs. other containers)\n"
	"   --cpu-idle value             set cgroup SCHED_IDLE or not, 0: default behavior, 1: "
	"SCHED_IDLE\n"
	"   --cpuset-cpus value          CPU(s) to use\n"
	"   --cpuset-mems value          Memory node(s) to use\n"
	"   --memory value               Memory limit (in bytes, or with a k/m/g suffix)\n"
	"   --memory-reservation value   Memory reservation or soft_limit (in bytes)\n"
	"   --memory-swap value          Total memory usage (memory + swap); set '-1' to enable "
	"unlimited swap\n"
	"   --pids-limit value           Maximum number of pids allowed in the container\n"
	"   --kernel-memory value        (deprecated, ignored)\n"
	"   --kernel-memory-tcp value    Kernel memory limit for TCP buffers (in bytes)\n",
};
