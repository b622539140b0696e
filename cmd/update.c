/* update.c - `berth update [--resources FILE|-] [--memory N ...] ID`: change
 * a live container's cgroup limits. Reads an OCI LinuxResources document
 * and/or runc's individual flags (flags win over the document). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* What each value flag sets in the resources: a value of `kind` at `value`,
 * and the `has` and section `present` flags that say it was given. */
enum flag_kind { FLAG_U64, FLAG_I64, FLAG_BYTES, FLAG_WEIGHT, FLAG_STRING, FLAG_RDT };

struct flag_target {
	int opt;
	enum flag_kind kind;
	size_t value, has, section; /* offsets in struct berth_resources; NONE: no such field */
};

#define NONE SIZE_MAX
/* The offset of field f, which must be of type t (a compile error otherwise). */
#define AT(t, f)                                                                                   \
	(offsetof(struct berth_resources, f) +                                                     \
	 0 * sizeof(_Generic(((struct berth_resources *)0)->f, t : 1)))
/* The C type each kind parses into, so a row can't pair them wrongly. */
#define TYPE_FLAG_U64	 uint64_t
#define TYPE_FLAG_I64	 int64_t
#define TYPE_FLAG_BYTES	 int64_t
#define TYPE_FLAG_WEIGHT uint16_t
#define TYPE_FLAG_STRING char *
#define VAL(k, f)	 k, AT(TYPE_##k, f)
#define CPU(k, f)	 VAL(k, cpu.f), AT(bool, cpu.has_##f), AT(bool, cpu.present)
#define MEM(f)		 VAL(FLAG_BYTES, memory.f), AT(bool, memory.has_##f), AT(bool, memory.present)

static const struct flag_target flag_targets[] = {
    {OPT_BLKIO_WEIGHT, VAL(FLAG_WEIGHT, block_io.weight), AT(bool, block_io.has_weight),
     AT(bool, block_io.present)},
    {OPT_CPU_PERIOD, CPU(FLAG_U64, period)},
    {OPT_CPU_QUOTA, CPU(FLAG_I64, quota)},
    {OPT_CPU_BURST, CPU(FLAG_U64, burst)},
    {OPT_CPU_RT_PERIOD, CPU(FLAG_U64, realtime_period)},
    {OPT_CPU_RT_RUNTIME, CPU(FLAG_I64, realtime_runtime)},
    {OPT_CPU_SHARE, CPU(FLAG_U64, shares)},
    {OPT_CPU_IDLE, CPU(FLAG_I64, idle)},
    {OPT_CPUSET_CPUS, VAL(FLAG_STRING, cpu.cpus), NONE, AT(bool, cpu.present)},
    {OPT_CPUSET_MEMS, VAL(FLAG_STRING, cpu.mems), NONE, AT(bool, cpu.present)},
    {OPT_KERNEL_MEMORY, MEM(kernel)},
    {OPT_KERNEL_MEMORY_TCP, MEM(kernel_tcp)},
    {OPT_MEMORY, MEM(limit)},
    {OPT_MEMORY_RESERVATION, MEM(reservation)},
    {OPT_MEMORY_SWAP, MEM(swap)},
    {OPT_PIDS_LIMIT, VAL(FLAG_I64, pids_limit), AT(bool, has_pids_limit), NONE},
    {OPT_L3_CACHE, FLAG_RDT, NONE, NONE, NONE},
    {OPT_MEM_BW, FLAG_RDT, NONE, NONE, NONE},
};

static int parse_value(const struct flag_target *t, const char *v, char *at)
{
	uint64_t w = 0;

	switch (t->kind) {
	case FLAG_U64:
		return parse_u64(v, (uint64_t *)at);
	case FLAG_I64:
		return parse_i64(v, (int64_t *)at);
	case FLAG_BYTES:
		return parse_bytes(v, (int64_t *)at);
	case FLAG_WEIGHT:
		if (parse_u64(v, &w) < 0 || w > 1000)
			return -1;
		*(uint16_t *)at = (uint16_t)w;
		return 0;
	case FLAG_STRING:
		free(*(char **)at);
		*(char **)at = strdup(v);
		return *(char **)at ? 0 : -1;
	case FLAG_RDT:
		break;
	}
	return -1;
}

/* One runc flag into the resources. Returns -1 with err set on a bad value. */
static int apply_flag(int c, const char *v, struct berth_resources *r, struct berth_error *err)
{
	const struct flag_target *t = NULL;
	const char *name = "?";
	char *base = (char *)r;

	for (const struct option *o = update_opts; o->name; o++)
		if (o->val == c)
			name = o->name;
	for (size_t i = 0; i < sizeof(flag_targets) / sizeof(flag_targets[0]); i++)
		if (flag_targets[i].opt == c)
			t = &flag_targets[i];
	if (!t)
		return berr_set(err, "--%s: not a resource flag", name);
	if (t->kind == FLAG_RDT)
		return berr_set(err, "--%s: Intel RDT is not supported by berth", name);
	r->present = true;
	if (t->has != NONE)
		*(bool *)(base + t->has) = true;
	if (t->section != NONE)
		*(bool *)(base + t->section) = true;
	if (parse_value(t, v, base + t->value) < 0)
		return berr_set(err, "invalid value for --%s: %s", name, v);
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
