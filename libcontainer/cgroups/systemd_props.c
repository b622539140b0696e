/* systemd_props.c - linux.resources and org.systemd.property.* annotations
 * as systemd unit properties, in the typed text form berth-systemd reads
 * ("Name\ttype\tvalue" lines, see libexec/berth-systemd.c).
 *
 * Only what systemd manages itself is translated here; every limit is also
 * written to the scope's cgroup files afterwards (resources_v2.c), so a
 * property systemd rounds (CPUQuota is kept in 10 ms steps) still ends up
 * exact in the file. Pure functions, unit tested; nothing touches a file. */
#include "cgroup_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cleanup.h"

#define ANNOTATION_PREFIX "org.systemd.property."
#define USEC_PER_SEC	  1000000ULL
#define DEFAULT_PERIOD	  100000ULL

void cg_sd_props_clear(struct cg_sd_props *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

int cg_sd_props_add(struct cg_sd_props *p, const char *name, const char *type, const char *value,
		    struct berth_error *err)
{
	struct cg_sd_prop *v;

	if (strpbrk(name, "\t\n") || strpbrk(value, "\t\n"))
		return berr_set(err, "systemd property %s: tabs and newlines are not allowed",
				name);
	v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v)
		return berr_sys(err, ENOMEM, "systemd properties");
	p->v = v;
	v[p->n].name = strdup(name);
	v[p->n].value = strdup(value);
	snprintf(v[p->n].type, sizeof(v[p->n].type), "%s", type);
	if (!v[p->n].name || !v[p->n].value) {
		free(v[p->n].name);
		free(v[p->n].value);
		return berr_sys(err, ENOMEM, "systemd properties");
	}
	p->n++;
	return 0;
}

static int add_u64(struct cg_sd_props *p, const char *name, uint64_t v, struct berth_error *err)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return cg_sd_props_add(p, name, "t", buf, err);
}

/* OCI's -1 ("no limit") is systemd's infinity, UINT64_MAX. */
static uint64_t limit_u64(int64_t v)
{
	return v < 0 ? UINT64_MAX : (uint64_t)v;
}

uint64_t cg_sd_cpu_quota_per_sec(int64_t quota, uint64_t period)
{
	uint64_t v;

	if (quota <= 0)
		return UINT64_MAX;
	if (period == 0)
		period = DEFAULT_PERIOD;
	v = (uint64_t)quota * USEC_PER_SEC / period;
	/* systemd keeps CPUQuota in whole percent: round up to the next 10 ms so
	 * that the exact cpu.max written later is never above the unit's quota */
	if (v % 10000)
		v = (v / 10000 + 1) * 10000;
	return v;
}

int cg_sd_cpuset_mask(const char *list, char **hex, struct berth_error *err)
{
	uint8_t mask[1024] = {0}; /* 8192 CPUs or nodes */
	size_t top = 0;
	const char *s = list;

	*hex = NULL;
	while (*s) {
		char *end;
		unsigned long a, b;

		errno = 0;
		a = strtoul(s, &end, 10);
		if (end == s || errno)
			return berr_set(err, "cpuset \"%s\": expected a list like 0-3,5", list);
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || errno || b < a)
				return berr_set(err, "cpuset \"%s\": bad range", list);
		}
		if (b >= sizeof(mask) * 8)
			return berr_set(err, "cpuset \"%s\": %lu is too large", list, b);
		for (unsigned long i = a; i <= b; i++)
			mask[i / 8] |= (uint8_t)(1u << (i % 8));
		if (b / 8 + 1 > top)
			top = b / 8 + 1;
		if (*end == ',')
			end++;
		else if (*end && *end != '\n')
			return berr_set(err, "cpuset \"%s\": unexpected '%c'", list, *end);
		else if (*end == '\n')
			end++;
		s = end;
	}
	*hex = malloc(top * 2 + 1);
	if (!*hex)
		return berr_sys(err, ENOMEM, "cpuset");
	for (size_t i = 0; i < top; i++)
		snprintf(*hex + i * 2, 3, "%02x", mask[i]);
	(*hex)[top * 2] = '\0';
	return 0;
}

/* The name /proc/devices gives a character or block major, for systemd's
 * "char-NAME" rules; NULL when it is not listed. */
static char *device_major_name(const char *proc_devices, char type, int64_t major)
{
	bool in = false;
	const char *line = proc_devices;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char name[64];
		long m;

		if (len >= 10 && !strncmp(line, "Character", 9))
			in = type == 'c';
		else if (len >= 5 && !strncmp(line, "Block", 5))
			in = type == 'b';
		else if (in && sscanf(line, "%ld %63s", &m, name) == 2 && m == major)
			return strdup(name);
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

int cg_sd_device_props(const struct berth_device_cgroup *rules, size_t n, const char *proc_devices,
		       struct cg_sd_props *p, struct berth_error *err)
{
	_cleanup_free_ char *list = NULL;
	size_t len = 0;
	const char *policy = "strict";

	for (size_t i = 0; i < n; i++) {
		const struct berth_device_cgroup *d = &rules[i];
		const char *acc = d->access && *d->access ? d->access : "rwm";
		char entry[160];

		if (d->type == 'a' || (d->type != 'c' && d->type != 'b')) {
			/* "a" wipes the list: deny all starts it, allow all ends it */
			free(list);
			list = NULL;
			len = 0;
			policy = d->allow ? "auto" : "strict";
			if (d->allow && strcmp(acc, "rwm") != 0)
				goto inexpressible;
			continue;
		}
		if (!d->allow)
			goto inexpressible; /* systemd has allow rules only */
		const char *kind = d->type == 'c' ? "char" : "block";
		if (!d->has_major || d->major < 0) {
			if (d->has_minor && d->minor >= 0)
				goto inexpressible;
			snprintf(entry, sizeof(entry), "%s-* %s", kind, acc);
		} else if (!d->has_minor || d->minor < 0) {
			_cleanup_free_ char *name =
			    device_major_name(proc_devices, d->type, d->major);

			if (!name)
				goto inexpressible;
			snprintf(entry, sizeof(entry), "%s-%s %s", kind, name, acc);
		} else {
			snprintf(entry, sizeof(entry), "/dev/%s/%" PRId64 ":%" PRId64 " %s", kind,
				 d->major, d->minor, acc);
		}
		char *grown = realloc(list, len + strlen(entry) + 2);
		if (!grown)
			return berr_sys(err, ENOMEM, "systemd device properties");
		list = grown;
		len += (size_t)sprintf(list + len, "%s%s", len ? ";" : "", entry);
	}
	if (!strcmp(policy, "auto"))
		return cg_sd_props_add(p, "DevicePolicy", "s", "auto", err);
	if (cg_sd_props_add(p, "DevicePolicy", "s", policy, err) < 0)
		return -1;
	return cg_sd_props_add(p, "DeviceAllow", "a(ss)", list ? list : "", err);
inexpressible:
	/* rules systemd cannot say (a deny after allows, an unnamed major):
	 * leave devices to the eBPF program berth attaches itself */
	return cg_sd_props_add(p, "DevicePolicy", "s", "auto", err);
}

/* The CPU properties both hierarchies name alike: the quota and the cpuset. */
static int cpu_quota_and_sets(const struct berth_cpu *cpu, struct cg_sd_props *p,
			      struct berth_error *err)
{
	uint64_t period = cpu->has_period ? cpu->period : 0;
	int64_t quota = cpu->has_quota ? cpu->quota : 0;

	if (period && add_u64(p, "CPUQuotaPeriodUSec", period, err) < 0)
		return -1;
	if ((quota || period) &&
	    add_u64(p, "CPUQuotaPerSecUSec", cg_sd_cpu_quota_per_sec(quota, period), err) < 0)
		return -1;
	const char *sets[][2] = {{cpu->cpus, "AllowedCPUs"}, {cpu->mems, "AllowedMemoryNodes"}};
	for (size_t i = 0; i < 2; i++) {
		_cleanup_free_ char *hex = NULL;

		if (!sets[i][0] || !*sets[i][0])
			continue;
		if (cg_sd_cpuset_mask(sets[i][0], &hex, err) < 0)
			return berr_prefix(err, "linux.resources.cpu.%s", i ? "mems" : "cpus");
		if (cg_sd_props_add(p, sets[i][1], "ay", hex, err) < 0)
			return -1;
	}
	return 0;
}

int cg_sd_resource_props(const struct berth_resources *r, struct cg_sd_props *p,
			 struct berth_error *err)
{
	char buf[64];
	int rc;

	if (!r || !r->present)
		return 0;
	const struct berth_memory *mem = &r->memory;
	if (mem->present) {
		if (mem->has_limit && mem->limit != 0 &&
		    add_u64(p, "MemoryMax", limit_u64(mem->limit), err) < 0)
			return -1;
		if (mem->has_reservation && mem->reservation != 0 &&
		    add_u64(p, "MemoryLow", limit_u64(mem->reservation), err) < 0)
			return -1;
		rc = cg_swap_to_v2(mem->has_swap, mem->swap, mem->has_limit, mem->limit, buf,
				   sizeof(buf), err);
		if (rc < 0)
			return -1;
		if (rc == 0 &&
		    add_u64(p, "MemorySwapMax",
			    strcmp(buf, "max") ? strtoull(buf, NULL, 10) : UINT64_MAX, err) < 0)
			return -1;
	}
	if (r->has_pids_limit &&
	    add_u64(p, "TasksMax", r->pids_limit > 0 ? (uint64_t)r->pids_limit : UINT64_MAX, err) <
		0)
		return -1;
	const struct berth_cpu *cpu = &r->cpu;
	if (cpu->present) {
		if (cpu->has_shares && cpu->shares &&
		    add_u64(p, "CPUWeight", cg_shares_to_weight(cpu->shares), err) < 0)
			return -1;
		if (cpu_quota_and_sets(cpu, p, err) < 0)
			return -1;
	}
	if (r->block_io.present && r->block_io.has_weight && r->block_io.weight &&
	    add_u64(p, "IOWeight", cg_blkio_weight_to_io_weight(r->block_io.weight), err) < 0)
		return -1;
	return 0;
}

/* The cgroup v1 names of the same limits (systemd's legacy properties, the
 * ones runc sets there): raw shares and blkio weight, MemoryLimit, no swap
 * or reservation (berth writes those files itself). */
int cg_sd_resource_props_v1(const struct berth_resources *r, struct cg_sd_props *p,
			    struct berth_error *err)
{
	if (!r || !r->present)
		return 0;
	const struct berth_memory *mem = &r->memory;
	if (mem->present && mem->has_limit && mem->limit != 0 &&
	    add_u64(p, "MemoryLimit", limit_u64(mem->limit), err) < 0)
		return -1;
	const struct berth_cpu *cpu = &r->cpu;
	if (cpu->present) {
		if (cpu->has_shares && cpu->shares && add_u64(p, "CPUShares", cpu->shares, err) < 0)
			return -1;
		if (cpu_quota_and_sets(cpu, p, err) < 0)
			return -1;
	}
	if (r->block_io.present && r->block_io.has_weight && r->block_io.weight &&
	    add_u64(p, "BlockIOWeight", r->block_io.weight, err) < 0)
		return -1;
	if (r->has_pids_limit &&
	    add_u64(p, "TasksMax", r->pids_limit > 0 ? (uint64_t)r->pids_limit : UINT64_MAX, err) <
		0)
		return -1;
	return 0;
}

/* GVariant text as runc reads annotations, the scalar part of it:
 * true/false, 'string' or "string", "uint64 5"-style typed numbers, bare
 * integers (int32) and decimals (double). */
static int gvariant_scalar(const char *v, char type[8], const char **out, char *buf, size_t len)
{
	static const struct {
		const char *word;
		const char *type;
	} typed[] = {{"uint64 ", "t"}, {"int64 ", "x"}, {"uint32 ", "u"}, {"int32 ", "i"},
		     {"uint16 ", "q"}, {"int16 ", "n"}, {"byte ", "y"},	  {"double ", "d"}};
	size_t l = strlen(v);
	char *end;

	if (!strcmp(v, "true") || !strcmp(v, "false")) {
		snprintf(type, 8, "b");
		*out = v;
		return 0;
	}
	if (l >= 2 && (v[0] == '\'' || v[0] == '"') && v[l - 1] == v[0]) {
		if (l - 1 > len)
			return -1;
		memcpy(buf, v + 1, l - 2);
		buf[l - 2] = '\0';
		snprintf(type, 8, "s");
		*out = buf;
		return 0;
	}
	for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
		if (!strncmp(v, typed[i].word, strlen(typed[i].word))) {
			snprintf(type, 8, "%s", typed[i].type);
			*out = v + strlen(typed[i].word);
			return 0;
		}
	errno = 0;
	(void)strtoll(v, &end, 10);
	if (*v && !*end && !errno) {
		snprintf(type, 8, "i");
		*out = v;
		return 0;
	}
	(void)strtod(v, &end);
	if (*v && !*end) {
		snprintf(type, 8, "d");
		*out = v;
		return 0;
	}
	return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int cg_sd_annotation_props(const struct berth_kv *a, size_t n, struct cg_sd_props *p,
			   struct berth_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const char *key = a[i].key;
		const char *name = key + strlen(ANNOTATION_PREFIX);
		_cleanup_free_ char *buf = NULL;
		const char *val;
		char type[8];

		if (strncmp(key, ANNOTATION_PREFIX, strlen(ANNOTATION_PREFIX)) != 0)
			continue;
		if (!*name || strpbrk(name, "\t\n ."))
			return berr_set(err, "annotations.%s: not a systemd property name", key);
		buf = malloc(strlen(a[i].value) + 1);
		if (!buf)
			return berr_sys(err, ENOMEM, "annotations");
		if (gvariant_scalar(a[i].value, type, &val, buf, strlen(a[i].value) + 1) < 0)
			return berr_set(err,
					"annotations.%s: \"%s\" is not a GVariant value berth "
					"understands (true, 'text', uint64 N, N)",
					key, a[i].value);
		/* "XSec" in seconds, as runc takes it, is systemd's "XUSec" */
		if (ends_with(name, "Sec") && !ends_with(name, "USec") && strcmp(type, "b") &&
		    strcmp(type, "s")) {
			_cleanup_free_ char *usec_name = NULL;
			char num[32];
			double secs = strtod(val, NULL);

			if (secs < 0 ||
			    asprintf(&usec_name, "%.*sUSec", (int)(strlen(name) - 3), name) < 0) {
				usec_name = NULL;
				return berr_set(err, "annotations.%s: bad value \"%s\"", key,
						a[i].value);
			}
			snprintf(num, sizeof(num), "%" PRIu64, (uint64_t)(secs * 1e6 + 0.5));
			if (cg_sd_props_add(p, usec_name, "t", num, err) < 0)
				return -1;
			continue;
		}
		if (cg_sd_props_add(p, name, type, val, err) < 0)
			return -1;
	}
	return 0;
}

char *cg_sd_props_text(const struct cg_sd_props *p)
{
	size_t len = 1;
	char *s, *o;

	for (size_t i = 0; i < p->n; i++)
		len += strlen(p->v[i].name) + strlen(p->v[i].type) + strlen(p->v[i].value) + 3;
	s = malloc(len);
	if (!s)
		return NULL;
	o = s;
	for (size_t i = 0; i < p->n; i++)
		o += sprintf(o, "%s\t%s\t%s\n", p->v[i].name, p->v[i].type, p->v[i].value);
	*o = '\0';
	return s;
}
