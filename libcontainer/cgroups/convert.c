/* convert.c - the published conversions between the OCI (cgroup v1 shaped)
 * resource values and cgroup v2 files, plus small formatting of values.
 *
 * Pure functions, unit tested; nothing here touches a file. */
#include "cgroup_internal.h"

#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

uint64_t cg_shares_to_weight(uint64_t shares)
{
	/* cpu.shares 2..262144 maps linearly onto cpu.weight 1..10000 */
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cg_blkio_weight_to_io_weight(uint64_t w)
{
	/* blkio.weight 10..1000 maps linearly onto io.weight 1..10000 */
	if (w == 0)
		return 0;
	if (w < 10)
		w = 10;
	if (w > 1000)
		w = 1000;
	return 1 + ((w - 10) * 9999) / 990;
}

int cg_swap_to_v2(bool has_swap, int64_t swap, bool has_limit, int64_t limit, char *buf, size_t len,
		  struct berth_error *err)
{
	/* OCI swap is memory+swap (v1 memsw); v2 memory.swap.max is swap alone */
	if (!has_swap || swap == 0)
		return 1;
	if (swap == -1) {
		snprintf(buf, len, "max");
		return 0;
	}
	if (swap < -1)
		return berr_set(err, "linux.resources.memory.swap: invalid value %" PRId64, swap);
	if (!has_limit || limit == 0 || limit == -1)
		return berr_set(err, "linux.resources.memory.swap: cannot set swap limit without "
				     "a memory limit");
	if (swap < limit)
		return berr_set(err,
				"linux.resources.memory.swap: memory+swap limit (%" PRId64
				") must be at least the memory limit (%" PRId64 ")",
				swap, limit);
	snprintf(buf, len, "%" PRId64, swap - limit);
	return 0;
}

int cg_cpu_max(bool has_quota, int64_t quota, bool has_period, uint64_t period, char *buf,
	       size_t len)
{
	bool q = has_quota && quota != 0;
	bool p = has_period && period != 0;

	if (!q && !p)
		return 1;
	if (q && quota > 0)
		snprintf(buf, len, "%" PRId64, quota);
	else
		snprintf(buf, len, "max");
	if (p) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, " %" PRIu64, period);
	}
	return 0;
}

void cg_limit_v2(int64_t v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRId64, v);
}

int cg_access_bits(const char *access)
{
	int bits = 0;

	if (!access || !*access)
		return BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
	for (const char *c = access; *c; c++) {
		switch (*c) {
		case 'r':
			bits |= BPF_DEVCG_ACC_READ;
			break;
		case 'w':
			bits |= BPF_DEVCG_ACC_WRITE;
			break;
		case 'm':
			bits |= BPF_DEVCG_ACC_MKNOD;
			break;
		default:
			return -1;
		}
	}
	return bits;
}

void cg_device_rule_v1(const struct berth_device_cgroup *d, char *buf, size_t len)
{
	char maj[24] = "*";
	char min[24] = "*";
	char type = d->type ? d->type : 'a';

	if (type == 'a') {
		/* "a" alone means every device with every access */
		snprintf(buf, len, "a");
		return;
	}
	if (d->has_major && d->major >= 0)
		snprintf(maj, sizeof(maj), "%" PRId64, d->major);
	if (d->has_minor && d->minor >= 0)
		snprintf(min, sizeof(min), "%" PRId64, d->minor);
	snprintf(buf, len, "%c %s:%s %s", type, maj, min,
		 d->access && *d->access ? d->access : "rwm");
}
