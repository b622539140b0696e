/* config_json.h - typed getters over jansson that name the JSON path in errors.
 *
 * The config parser reads every field through these, so that each message
 * reads "linux.resources.memory.limit: expected an integer, got \"1G\"".
 * Paths are only formatted when something is wrong, keeping the happy path
 * cheap. This module knows JSON and paths, never the meaning of a field; it
 * must never leak json_t past the parser.
 *
 * Getter convention: return 1 when the key is present and valid (value in
 * *out), 0 when it is absent (*out untouched, or an error when CJ_REQ is
 * given), -1 with err set when it has the wrong type or range. */
#ifndef BERTH_CONFIG_JSON_H
#define BERTH_CONFIG_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "libcontainer/error.h"

#define CJ_PATH_MAX 256
/* A config.json larger than this is refused before it is read whole. */
#define CJ_MAX_DOC_BYTES (64u << 20)

enum cj_flags {
	CJ_OPT = 0,
	CJ_REQ = 1, /* absent is an error: "<path>: required field is missing" */
};

/* Decode a document whose top level must be an object. Integers above
 * INT64_MAX (up to UINT64_MAX, e.g. RLIM_INFINITY) survive, see the .c. */
json_t *cj_decode(const char *data, size_t len, struct berth_error *err);

/* "<parent>.<key>" (or "<key>" when parent is empty) into buf[CJ_PATH_MAX]. */
void cj_path(char *buf, const char *parent, const char *key);
/* "<parent>.<key>[i]" into buf[CJ_PATH_MAX]. */
void cj_path_index(char *buf, const char *parent, const char *key, size_t i);

/* Set "<parent>.<key>: <fmt...>" and return -1. key may be NULL (then the
 * message names parent alone). */
int cj_fail(struct berth_error *err, const char *parent, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Render a value for a message: "\"1G\"", "3", "an object" ... */
const char *cj_describe(const json_t *v, char *buf, size_t size);

/* Raw access with a type check. */
int cj_object(json_t *o, const char *path, const char *key, int flags, json_t **out,
	      struct berth_error *err);
int cj_array(json_t *o, const char *path, const char *key, int flags, json_t **out,
	     struct berth_error *err);

/* Scalars. Strings are copied (caller owns); NUL bytes are refused. */
int cj_string(json_t *o, const char *path, const char *key, int flags, char **out,
	      struct berth_error *err);
/* Borrowed string, valid while the document lives. */
int cj_string_ref(json_t *o, const char *path, const char *key, int flags, const char **out,
		  struct berth_error *err);
int cj_bool(json_t *o, const char *path, const char *key, int flags, bool *out,
	    struct berth_error *err);
int cj_int_range(json_t *o, const char *path, const char *key, int flags, int64_t min, int64_t max,
		 int64_t *out, struct berth_error *err);
int cj_int64(json_t *o, const char *path, const char *key, int flags, int64_t *out,
	     struct berth_error *err);
int cj_int32(json_t *o, const char *path, const char *key, int flags, int32_t *out,
	     struct berth_error *err);
int cj_uint64(json_t *o, const char *path, const char *key, int flags, uint64_t *out,
	      struct berth_error *err);
int cj_uint32(json_t *o, const char *path, const char *key, int flags, uint32_t *out,
	      struct berth_error *err);
int cj_uint16(json_t *o, const char *path, const char *key, int flags, uint16_t *out,
	      struct berth_error *err);

/* Arrays of scalars. */
int cj_strv(json_t *o, const char *path, const char *key, int flags, char ***out, size_t *n,
	    struct berth_error *err);
int cj_u32v(json_t *o, const char *path, const char *key, int flags, uint32_t **out, size_t *n,
	    struct berth_error *err);
/* An object of string values ("annotations", "sysctl", "unified"). */
int cj_map(json_t *o, const char *path, const char *key, int flags, struct berth_kv **out,
	   size_t *n, struct berth_error *err);

/* Array of objects: checks the array, allocates n zeroed elements of
 * elem_size into *out and sets *n. Items are then visited with
 * cj_item_object(). */
int cj_array_alloc(json_t *o, const char *path, const char *key, size_t elem_size, void **out,
		   size_t *n, json_t **arr, struct berth_error *err);
/* Item i of arr must be an object; its path goes to itempath[CJ_PATH_MAX]. */
json_t *cj_item_object(json_t *arr, const char *path, const char *key, size_t i, char *itempath,
		       struct berth_error *err);

#endif
