/* config_linux.c - the `linux` object of config.json, except resources and
 * seccomp (config_resources.c, config_seccomp.c).
 *
 * Namespaces, id mappings, time offsets, devices, network devices, sysctl,
 * Intel RDT, masked/readonly paths, personality and memory policy. Names
 * that become directory or interface names are checked here so that no
 * later step can be walked out of its directory by a "../". Must never
 * touch the system: it validates shape, not whether the host can do it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_internal.h"

#define NSEC_PER_SEC  1000000000u
#define IFNAME_MAX    15 /* IFNAMSIZ - 1 */
#define FILE_PERM_MAX 0777

static int parse_namespaces(json_t *o, const char *path, struct berth_linux *l,
			    struct berth_error *err)
{
	json_t *arr;
	unsigned seen = 0; /* one bit per enum berth_ns_type */
	int rc = cj_array_alloc(o, path, "namespaces", sizeof(*l->namespaces),
				(void **)&l->namespaces, &l->n_namespaces, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < l->n_namespaces; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_namespace *ns = &l->namespaces[i];
		const struct cfg_name_value *e = NULL;
		json_t *item = cj_item_object(arr, path, "namespaces", i, ip, err);

		if (!item ||
		    cfg_enum(item, ip, "type", CJ_REQ, &cfg_namespace_types, &e, NULL, err) < 0)
			return -1;
		ns->type = (enum berth_ns_type)e->value;
		if (seen & (1u << ns->type))
			return cj_fail(err, ip, "type", "duplicate namespace type \"%s\"", e->name);
		seen |= 1u << ns->type;
		rc = cj_string(item, ip, "path", CJ_OPT, &ns->path, err);
		if (rc < 0 || (rc > 0 && cfg_check_abs(ns->path, ip, "path", err) < 0))
			return -1;
	}
	return 1;
}

static int parse_time_offset(json_t *offs, const char *path, const char *clock,
			     struct berth_time_offset *t, struct berth_error *err)
{
	char cp[CJ_PATH_MAX];
	json_t *o;
	int rc = cj_object(offs, path, clock, CJ_OPT, &o, err);

	if (rc <= 0)
		return rc;
	cj_path(cp, path, clock);
	if (cj_int64(o, cp, "secs", CJ_OPT, &t->secs, err) < 0 ||
	    cj_uint32(o, cp, "nanosecs", CJ_OPT, &t->nanosecs, err) < 0)
		return -1;
	if (t->nanosecs >= NSEC_PER_SEC)
		return cj_fail(err, cp, "nanosecs", "%u is not below one second", t->nanosecs);
	t->present = true;
	return 1;
}

static int parse_time_offsets(json_t *o, const char *path, struct berth_linux *l,
			      struct berth_error *err)
{
	char tp[CJ_PATH_MAX];
	json_t *offs;
	int rc = cj_object(o, path, "timeOffsets", CJ_OPT, &offs, err);

	if (rc <= 0)
		return rc;
	cj_path(tp, path, "timeOffsets");
	if (parse_time_offset(offs, tp, "boottime", &l->time_boottime, err) < 0 ||
	    parse_time_offset(offs, tp, "monotonic", &l->time_monotonic, err) < 0)
		return -1;
	return 1;
}

static int opt_u32(json_t *o, const char *path, const char *key, bool *has, uint32_t *v,
		   struct berth_error *err)
{
	int rc = cj_uint32(o, path, key, CJ_OPT, v, err);

	*has = rc > 0;
	return rc;
}

static int parse_devices(json_t *o, const char *path, struct berth_linux *l,
			 struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, "devices", sizeof(*l->devices), (void **)&l->devices,
				&l->n_devices, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < l->n_devices; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_device *d = &l->devices[i];
		const char *type;
		json_t *item = cj_item_object(arr, path, "devices", i, ip, err);

		if (!item || cj_string_ref(item, ip, "type", CJ_REQ, &type, err) < 0)
			return -1;
		if (strlen(type) != 1 || !strchr("cbup", type[0]))
			return cj_fail(err, ip, "type",
				       "unknown device type \"%.16s\" (expected c, b, u or p)",
				       type);
		d->type = type[0];
		/* A fifo has no numbers; every other device needs both. */
		int flags = d->type == 'p' ? CJ_OPT : CJ_REQ;
		if (cj_string(item, ip, "path", CJ_REQ, &d->path, err) < 0 ||
		    cfg_check_abs(d->path, ip, "path", err) < 0 ||
		    cj_int_range(item, ip, "major", flags, 0, INT64_MAX, &d->major, err) < 0 ||
		    cj_int_range(item, ip, "minor", flags, 0, INT64_MAX, &d->minor, err) < 0 ||
		    opt_u32(item, ip, "fileMode", &d->has_file_mode, &d->file_mode, err) < 0 ||
		    opt_u32(item, ip, "uid", &d->has_uid, &d->uid, err) < 0 ||
		    opt_u32(item, ip, "gid", &d->has_gid, &d->gid, err) < 0)
			return -1;
		/* Engines (podman) send st_mode with the file-type bits, as runc
		 * accepts: keep the permission bits, refuse anything else. */
		if (d->has_file_mode) {
			uint32_t type_bits = d->file_mode & S_IFMT;
			if ((d->file_mode & ~(uint32_t)(S_IFMT | 07777)) ||
			    (type_bits && type_bits != S_IFCHR && type_bits != S_IFBLK &&
			     type_bits != S_IFIFO))
				return cj_fail(err, ip, "fileMode",
					       "%u is not a permission mode (0..4095, optionally "
					       "with a device type)",
					       d->file_mode);
			d->file_mode &= 07777;
		}
	}
	return 1;
}

/* The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/',
 * ':' or whitespace. */
static bool valid_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > IFNAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	return s[strcspn(s, "/: \t\n\v\f\r")] == '\0';
}

static int parse_net_devices(json_t *o, const char *path, struct berth_linux *l,
			     struct berth_error *err)
{
	char np[CJ_PATH_MAX];
	json_t *obj;
	int rc = cj_object(o, path, "netDevices", CJ_OPT, &obj, err);

	if (rc <= 0)
		return rc;
	cj_path(np, path, "netDevices");
	l->net_devices = calloc(json_object_size(obj) + 1, sizeof(*l->net_devices));
	if (!l->net_devices)
		return berr_sys(err, ENOMEM, "%s", np);

	const char *host;
	json_t *dev;
	json_object_foreach(obj, host, dev)
	{
		char dp[CJ_PATH_MAX];
		struct berth_net_device *nd = &l->net_devices[l->n_net_devices++];

		cj_path(dp, np, host);
		if (!valid_ifname(host))
			return cj_fail(err, dp, NULL, "not a valid network interface name");
		if (!json_is_object(dev))
			return cj_fail(err, dp, NULL, "expected an object");
		nd->host_name = strdup(host);
		if (!nd->host_name)
			return berr_sys(err, ENOMEM, "%s", dp);
		rc = cj_string(dev, dp, "name", CJ_OPT, &nd->name, err);
		if (rc < 0)
			return -1;
		if (rc > 0 && !valid_ifname(nd->name))
			return cj_fail(err, dp, "name",
				       "\"%.32s\" is not a valid network interface name", nd->name);
	}
	return 1;
}

/* closID names a directory under the resctrl mount. */
static int parse_intel_rdt(json_t *o, const char *path, struct berth_intel_rdt *r,
			   struct berth_error *err)
{
	char rp[CJ_PATH_MAX];
	json_t *obj;
	int rc = cj_object(o, path, "intelRdt", CJ_OPT, &obj, err);

	if (rc <= 0)
		return rc;
	cj_path(rp, path, "intelRdt");
	r->present = true;
	rc = cj_string(obj, rp, "closID", CJ_OPT, &r->clos_id, err);
	if (rc < 0)
		return -1;
	if (rc > 0 && (!r->clos_id[0] || strchr(r->clos_id, '/') || strcmp(r->clos_id, ".") == 0 ||
		       strcmp(r->clos_id, "..") == 0))
		return cj_fail(err, rp, "closID", "\"%.64s\" is not a valid directory name",
			       r->clos_id);
	if (cj_strv(obj, rp, "schemata", CJ_OPT, &r->schemata, &r->n_schemata, err) < 0 ||
	    cj_string(obj, rp, "l3CacheSchema", CJ_OPT, &r->l3_cache_schema, err) < 0 ||
	    cj_bool(obj, rp, "enableMonitoring", CJ_OPT, &r->enable_monitoring, err) < 0)
		return -1;
	rc = cj_string(obj, rp, "memBwSchema", CJ_OPT, &r->mem_bw_schema, err);
	if (rc < 0)
		return -1;
	if (rc > 0 && (strncmp(r->mem_bw_schema, "MB:", 3) != 0 || strchr(r->mem_bw_schema, '\n')))
		return cj_fail(err, rp, "memBwSchema",
			       "must start with \"MB:\" and hold one line, got \"%.64s\"",
			       r->mem_bw_schema);
	return 1;
}

static int parse_personality(json_t *o, const char *path, struct berth_personality *p,
			     struct berth_error *err)
{
	char pp[CJ_PATH_MAX];
	const struct cfg_name_value *e = NULL;
	json_t *obj;
	int rc = cj_object(o, path, "personality", CJ_OPT, &obj, err);

	if (rc <= 0)
		return rc;
	cj_path(pp, path, "personality");
	if (cfg_enum(obj, pp, "domain", CJ_REQ, &cfg_personalities, &e, &p->domain, err) < 0 ||
	    cj_strv(obj, pp, "flags", CJ_OPT, &p->flags, &p->n_flags, err) < 0)
		return -1;
	p->domain_value = (unsigned long)e->value;
	p->present = true;
	return 1;
}

static int parse_memory_policy(json_t *o, const char *path, struct berth_memory_policy *m,
			       struct berth_error *err)
{
	char mp[CJ_PATH_MAX];
	const struct cfg_name_value *e = NULL;
	uint64_t bits = 0;
	json_t *obj;
	int rc = cj_object(o, path, "memoryPolicy", CJ_OPT, &obj, err);

	if (rc <= 0)
		return rc;
	cj_path(mp, path, "memoryPolicy");
	if (cfg_enum(obj, mp, "mode", CJ_REQ, &cfg_mpol_modes, &e, &m->mode, err) < 0 ||
	    cj_string(obj, mp, "nodes", CJ_OPT, &m->nodes, err) < 0 ||
	    cfg_enum_list(obj, mp, "flags", &cfg_mpol_flags, &m->flags, &m->n_flags, &bits, err) <
		0)
		return -1;
	m->mode_value = (int)e->value;
	m->flags_value = (unsigned)bits;
	m->present = true;
	return 1;
}

static int abs_paths(json_t *o, const char *path, const char *key, char ***out, size_t *n,
		     struct berth_error *err)
{
	int rc = cj_strv(o, path, key, CJ_OPT, out, n, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		char ip[CJ_PATH_MAX];

		cj_path_index(ip, path, key, i);
		if (cfg_check_abs((*out)[i], ip, NULL, err) < 0)
			return -1;
	}
	return 1;
}

/* Keys become paths under /proc/sys: an empty one or a ".." (an empty
 * component with dots, a parent with slashes) can only be a mistake or an
 * attempt to leave /proc/sys. */
static int check_sysctl(const char *path, const struct berth_linux *l, struct berth_error *err)
{
	for (size_t i = 0; i < l->n_sysctl; i++) {
		const char *k = l->sysctl[i].key;

		if (!k[0] || strstr(k, "..") || k[0] == '/' || k[0] == '.')
			return cj_fail(err, path, "sysctl", "\"%.64s\" is not a sysctl name", k);
	}
	return 0;
}

static int parse_subsections(json_t *o, const char *path, struct berth_linux *l,
			     struct berth_error *err)
{
	char sub[CJ_PATH_MAX];
	json_t *obj;
	int rc;

	rc = cj_object(o, path, "resources", CJ_OPT, &obj, err);
	cj_path(sub, path, "resources");
	if (rc < 0 || (rc > 0 && cfg_parse_resources(obj, sub, &l->resources, err) < 0))
		return -1;
	rc = cj_object(o, path, "seccomp", CJ_OPT, &obj, err);
	cj_path(sub, path, "seccomp");
	if (rc < 0 || (rc > 0 && cfg_parse_seccomp(obj, sub, &l->seccomp, err) < 0))
		return -1;
	return 0;
}

int cfg_parse_linux(json_t *o, const char *path, struct berth_linux *l, struct berth_error *err)
{
	const struct cfg_name_value *prop = NULL;

	if (parse_namespaces(o, path, l, err) < 0 ||
	    cfg_id_mappings(o, path, "uidMappings", &l->uid_mappings, &l->n_uid_mappings, err) <
		0 ||
	    cfg_id_mappings(o, path, "gidMappings", &l->gid_mappings, &l->n_gid_mappings, err) <
		0 ||
	    parse_time_offsets(o, path, l, err) < 0 || parse_devices(o, path, l, err) < 0 ||
	    parse_net_devices(o, path, l, err) < 0 ||
	    cj_string(o, path, "cgroupsPath", CJ_OPT, &l->cgroups_path, err) < 0 ||
	    parse_subsections(o, path, l, err) < 0 ||
	    parse_intel_rdt(o, path, &l->intel_rdt, err) < 0 ||
	    cj_map(o, path, "sysctl", CJ_OPT, &l->sysctl, &l->n_sysctl, err) < 0 ||
	    check_sysctl(path, l, err) < 0 ||
	    cfg_enum(o, path, "rootfsPropagation", CJ_OPT, &cfg_propagations, &prop,
		     &l->rootfs_propagation, err) < 0 ||
	    abs_paths(o, path, "maskedPaths", &l->masked_paths, &l->n_masked_paths, err) < 0 ||
	    abs_paths(o, path, "readonlyPaths", &l->readonly_paths, &l->n_readonly_paths, err) <
		0 ||
	    cj_string(o, path, "mountLabel", CJ_OPT, &l->mount_label, err) < 0 ||
	    parse_personality(o, path, &l->personality, err) < 0 ||
	    parse_memory_policy(o, path, &l->memory_policy, err) < 0)
		return -1;
	if (prop)
		l->rootfs_propagation_value = (unsigned long)prop->value;
	return 0;
}
