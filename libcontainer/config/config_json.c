/* config_json.c - typed getters over jansson that name the JSON path in errors.
 *
 * See config_json.h for the return convention. Never prints; never keeps a
 * reference to the tree after returning (strings are copied unless the
 * caller asked for a borrowed one). */
#include "config_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cj_path(char *buf, const char *parent, const char *key)
{
	if (!key)
		snprintf(buf, CJ_PATH_MAX, "%s", parent);
	else if (!parent || !*parent)
		snprintf(buf, CJ_PATH_MAX, "%s", key);
	else
		snprintf(buf, CJ_PATH_MAX, "%s.%s", parent, key);
}

void cj_path_index(char *buf, const char *parent, const char *key, size_t i)
{
	if (!key)
		snprintf(buf, CJ_PATH_MAX, "%s[%zu]", parent, i);
	else if (!parent || !*parent)
		snprintf(buf, CJ_PATH_MAX, "%s[%zu]", key, i);
	else
		snprintf(buf, CJ_PATH_MAX, "%s.%s[%zu]", parent, key, i);
}

int cj_fail(struct berth_error *err, const char *parent, const char *key, const char *fmt, ...)
{
	char path[CJ_PATH_MAX];
	char msg[BERR_MSG_MAX];
	va_list ap;

	cj_path(path, parent, key);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	berr_set(err, "%s: %s", *path ? path : "(top level)", msg);
	/* Keys come from the document: keep a hostile one from writing control
	 * sequences to the user's terminal. */
	for (char *c = err ? err->msg : NULL; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return -1;
}

/* A string holding a leading NUL is a uint64 rewritten by cj_decode(). */
static bool is_big_marker(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0 && json_string_value(v)[0] == '\0';
}

const char *cj_describe(const json_t *v, char *buf, size_t size)
{
	const size_t max_shown = 48;

	if (!v) {
		snprintf(buf, size, "nothing");
		return buf;
	}
	if (is_big_marker(v)) {
		snprintf(buf, size, "%s", json_string_value(v) + 1);
		return buf;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		snprintf(buf, size, "an object");
		return buf;
	case JSON_ARRAY:
		snprintf(buf, size, "an array");
		return buf;
	default:
		break;
	}
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!s) {
		snprintf(buf, size, "a value");
		return buf;
	}
	if (strlen(s) > max_shown)
		snprintf(buf, size, "%.*s...", (int)max_shown, s);
	else
		snprintf(buf, size, "%s", s);
	free(s);
	return buf;
}

static int wrong_type(struct berth_error *err, const char *path, const char *key,
		      const char *expected, const json_t *v)
{
	char got[80];

	return cj_fail(err, path, key, "expected %s, got %s", expected,
		       cj_describe(v, got, sizeof(got)));
}

/* Common lookup: 1 found, 0 absent (or error when required). JSON null is
 * treated as absent, as Go-produced configs write null for empty fields. */
static int lookup(json_t *o, const char *path, const char *key, int flags, json_t **out,
		  struct berth_error *err)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		if (flags & CJ_REQ)
			return cj_fail(err, path, key, "required field is missing");
		return 0;
	}
	*out = v;
	return 1;
}

int cj_object(json_t *o, const char *path, const char *key, int flags, json_t **out,
	      struct berth_error *err)
{
	json_t *v = NULL;
	int rc = lookup(o, path, key, flags, &v, err);

	if (rc <= 0)
		return rc;
	if (!json_is_object(v))
		return wrong_type(err, path, key, "an object", v);
	*out = v;
	return 1;
}

int cj_array(json_t *o, const char *path, const char *key, int flags, json_t **out,
	     struct berth_error *err)
{
	json_t *v = NULL;
	int rc = lookup(o, path, key, flags, &v, err);

	if (rc <= 0)
		return rc;
	if (!json_is_array(v))
		return wrong_type(err, path, key, "an array", v);
	*out = v;
	return 1;
}

static bool is_plain_string(const json_t *v)
{
	return json_is_string(v) && !is_big_marker(v);
}

int cj_string_ref(json_t *o, const char *path, const char *key, int flags, const char **out,
		  struct berth_error *err)
{
	json_t *v = NULL;
	int rc = lookup(o, path, key, flags, &v, err);

	if (rc <= 0)
		return rc;
	if (!is_plain_string(v))
		return wrong_type(err, path, key, "a string", v);
	*out = json_string_value(v);
	return 1;
}

int cj_string(json_t *o, const char *path, const char *key, int flags, char **out,
	      struct berth_error *err)
{
	const char *s;
	int rc = cj_string_ref(o, path, key, flags, &s, err);

	if (rc <= 0)
		return rc;
	char *copy = strdup(s);
	if (!copy)
		return berr_sys(err, ENOMEM, "copy %s", key);
	free(*out);
	*out = copy;
	return 1;
}

int cj_bool(json_t *o, const char *path, const char *key, int flags, bool *out,
	    struct berth_error *err)
{
	json_t *v = NULL;
	int rc = lookup(o, path, key, flags, &v, err);

	if (rc <= 0)
		return rc;
	if (!json_is_boolean(v))
		return wrong_type(err, path, key, "a boolean", v);
	*out = json_is_true(v);
	return 1;
}

int cj_int_range(json_t *o, const char *path, const char *key, int flags, int64_t min, int64_t max,
		 int64_t *out, struct berth_error *err)
{
	json_t *v = NULL;
	int rc = lookup(o, path, key, flags, &v, err);

	if (rc <= 0)
		return rc;
	if (is_big_marker(v))
		return cj_fail(err, path, key, "%s is out of range (%" PRId64 "..%" PRId64 ")",
			       json_string_value(v) + 1, min, max);
	if (!json_is_integer(v))
		return wrong_type(err, path, key,
				  min >= 0 ? "a non-negative integer" : "an integer", v);
	json_int_t x = json_integer_value(v);
	if (x < 0 && min >= 0)
		return cj_fail(err, path, key, "expected a non-negative integer, got %" PRId64,
			       (int64_t)x);
	if (x < min || x > max)
		return cj_fail(err, path, key,
			       "%" PRId64 " is out of range (%" PRId64 "..%" PRId64 ")", (int64_t)x,
			       min, max);
	*out = x;
	return 1;
}

int cj_int64(json_t *o, const char *path, const char *key, int flags, int64_t *out,
	     struct berth_error *err)
{
	return cj_int_range(o, path, key, flags, INT64_MIN, INT64_MAX, out, err);
}

int cj_int32(json_t *o, const char *path, const char *key, int flags, int32_t *out,
	     struct berth_error *err)
{
	int64_t x;
	int rc = cj_int_range(o, path, key, flags, INT32_MIN, INT32_MAX, &x, err);

	if (rc > 0)
		*out = (int32_t)x;
	return rc;
}

int cj_uint64(json_t *o, const char *path, const char *key, int flags, uint64_t *out,
	      struct berth_error *err)
{
	json_t *v = NULL;
	int rc = lookup(o, path, key, flags, &v, err);

	if (rc <= 0)
		return rc;
	if (is_big_marker(v)) {
		/* cj_decode() only rewrites values that fit in a uint64. */
		*out = strtoull(json_string_value(v) + 1, NULL, 10);
		return 1;
	}
	if (!json_is_integer(v))
		return wrong_type(err, path, key, "a non-negative integer", v);
	json_int_t x = json_integer_value(v);
	if (x < 0)
		return cj_fail(err, path, key, "expected a non-negative integer, got %" PRId64,
			       (int64_t)x);
	*out = (uint64_t)x;
	return 1;
}

int cj_uint32(json_t *o, const char *path, const char *key, int flags, uint32_t *out,
	      struct berth_error *err)
{
	int64_t x;
	int rc = cj_int_range(o, path, key, flags, 0, UINT32_MAX, &x, err);

	if (rc > 0)
		*out = (uint32_t)x;
	return rc;
}

int cj_uint16(json_t *o, const char *path, const char *key, int flags, uint16_t *out,
	      struct berth_error *err)
{
	int64_t x;
	int rc = cj_int_range(o, path, key, flags, 0, UINT16_MAX, &x, err);

	if (rc > 0)
		*out = (uint16_t)x;
	return rc;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int cj_strv(json_t *o, const char *path, const char *key, int flags, char ***out, size_t *n,
	    struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array(o, path, key, flags, &arr, err);

	if (rc <= 0)
		return rc;
	size_t len = json_array_size(arr);
	char **v = calloc(len + 1, sizeof(*v)); /* +1: NULL-terminated for execve callers */
	if (!v)
		return berr_sys(err, ENOMEM, "%s", key);
	for (size_t i = 0; i < len; i++) {
		json_t *item = json_array_get(arr, i);

		if (!is_plain_string(item)) {
			char ipath[CJ_PATH_MAX];

			cj_path_index(ipath, path, key, i);
			free_strv(v, i);
			return wrong_type(err, ipath, NULL, "a string", item);
		}
		v[i] = strdup(json_string_value(item));
		if (!v[i]) {
			free_strv(v, i);
			return berr_sys(err, ENOMEM, "%s", key);
		}
	}
	free_strv(*out, *n);
	*out = v;
	*n = len;
	return 1;
}

int cj_u32v(json_t *o, const char *path, const char *key, int flags, uint32_t **out, size_t *n,
	    struct berth_error *err)
{
	json_t *arr;
	int rc = cj_array(o, path, key, flags, &arr, err);

	if (rc <= 0)
		return rc;
	size_t len = json_array_size(arr);
	uint32_t *v = calloc(len ? len : 1, sizeof(*v));
	if (!v)
		return berr_sys(err, ENOMEM, "%s", key);
	for (size_t i = 0; i < len; i++) {
		json_t *item = json_array_get(arr, i);
		json_int_t x = json_is_integer(item) ? json_integer_value(item) : -1;

		if (!json_is_integer(item) || x < 0 || x > (json_int_t)UINT32_MAX) {
			char ipath[CJ_PATH_MAX];
			char got[80];

			cj_path_index(ipath, path, key, i);
			free(v);
			return cj_fail(err, ipath, NULL,
				       "expected an integer in 0..4294967295, got %s",
				       cj_describe(item, got, sizeof(got)));
		}
		v[i] = (uint32_t)x;
	}
	free(*out);
	*out = v;
	*n = len;
	return 1;
}

static void free_kv(struct berth_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

int cj_map(json_t *o, const char *path, const char *key, int flags, struct berth_kv **out,
	   size_t *n, struct berth_error *err)
{
	json_t *obj;
	int rc = cj_object(o, path, key, flags, &obj, err);

	if (rc <= 0)
		return rc;
	size_t len = json_object_size(obj);
	struct berth_kv *kv = calloc(len ? len : 1, sizeof(*kv));
	if (!kv)
		return berr_sys(err, ENOMEM, "%s", key);
	size_t i = 0;
	const char *k;
	json_t *v = NULL;
	/* jansson keeps insertion order, so the model lists entries as written. */
	json_object_foreach(obj, k, v)
	{
		if (!is_plain_string(v)) {
			char mpath[CJ_PATH_MAX];

			cj_path(mpath, path, key);
			free_kv(kv, i);
			return wrong_type(err, mpath, k, "a string", v);
		}
		kv[i].key = strdup(k);
		kv[i].value = strdup(json_string_value(v));
		i++;
		if (!kv[i - 1].key || !kv[i - 1].value) {
			free_kv(kv, i);
			return berr_sys(err, ENOMEM, "%s", key);
		}
	}
	free_kv(*out, *n);
	*out = kv;
	*n = len;
	return 1;
}

int cj_array_alloc(json_t *o, const char *path, const char *key, size_t elem_size, void **out,
		   size_t *n, json_t **arr, struct berth_error *err)
{
	int rc = cj_array(o, path, key, CJ_OPT, arr, err);

	if (rc <= 0)
		return rc;
	size_t len = json_array_size(*arr);
	void *v = calloc(len ? len : 1, elem_size);
	if (!v)
		return berr_sys(err, ENOMEM, "%s", key);
	*out = v;
	*n = len;
	return 1;
}

json_t *cj_item_object(json_t *arr, const char *path, const char *key, size_t i, char *itempath,
		       struct berth_error *err)
{
	json_t *item = json_array_get(arr, i);

	cj_path_index(itempath, path, key, i);
	if (!json_is_object(item)) {
		wrong_type(err, itempath, NULL, "an object", item);
		return NULL;
	}
	return item;
}
