/* config_fields.c - readers for the field shapes more than one section of
 * the spec has (absolute paths, enum names, ID mappings). A leaf of the
 * parser: the section files call it, it calls none of them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

int cfg_check_abs(const char *value, const char *path, const char *key, struct berth_error *err)
{
	char got[80];

	if (value && value[0] == '/')
		return 0;
	json_t *s = json_string(value ? value : "");
	cj_describe(s, got, sizeof(got)); /* NULL (out of memory) reads "nothing" */
	json_decref(s);
	return cj_fail(err, path, key, "must be an absolute path, got %s", got);
}

int cfg_enum(json_t *o, const char *path, const char *key, int flags, const struct cfg_table *t,
	     const struct cfg_name_value **out, char **name, struct berth_error *err)
{
	const char *s;
	int rc = cj_string_ref(o, path, key, flags, &s, err);

	if (rc <= 0)
		return rc;
	const struct cfg_name_value *e = cfg_lookup(t, s);
	if (!e) {
		char got[80];

		return cj_fail(err, path, key, "unknown %s %s", t->what,
			       cj_describe(json_object_get(o, key), got, sizeof(got)));
	}
	*out = e;
	if (name) {
		char *copy = strdup(s);

		if (!copy)
			return berr_sys(err, ENOMEM, "%s", key);
		free(*name);
		*name = copy;
	}
	return 1;
}

int cfg_enum_list(json_t *o, const char *path, const char *key, const struct cfg_table *t,
		  char ***names, size_t *n, uint64_t *bits, struct berth_error *err)
{
	int rc = cj_strv(o, path, key, CJ_OPT, names, n, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		const struct cfg_name_value *e = cfg_lookup(t, (*names)[i]);

		if (!e) {
			char ipath[CJ_PATH_MAX];
			char got[80];

			cj_path_index(ipath, path, key, i);
			return cj_fail(err, ipath, NULL, "unknown %s %s", t->what,
				       cj_describe(json_array_get(json_object_get(o, key), i), got,
						   sizeof(got)));
		}
		if (bits)
			*bits |= (uint64_t)e->value;
	}
	return 1;
}

int cfg_id_mappings(json_t *o, const char *path, const char *key, struct berth_id_mapping **out,
		    size_t *n, struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array_alloc(o, path, key, sizeof(**out), (void **)out, n, &arr, err);

	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		char ip[CJ_PATH_MAX];
		struct berth_id_mapping *m = &(*out)[i];
		json_t *item = cj_item_object(arr, path, key, i, ip, err);

		if (!item ||
		    cj_uint32(item, ip, "containerID", CJ_REQ, &m->container_id, err) < 0 ||
		    cj_uint32(item, ip, "hostID", CJ_REQ, &m->host_id, err) < 0 ||
		    cj_uint32(item, ip, "size", CJ_REQ, &m->size, err) < 0)
			return -1;
		if (m->size == 0)
			return cj_fail(err, ip, "size", "must be positive, got 0");
	}
	return 1;
}
