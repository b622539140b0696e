/* json_writer.h - compact JSON text written in order, for documents that
 * must match Go's encoding/json byte for byte: unsigned 64-bit numbers in
 * full (jansson's integers are signed, so UINT64_MAX would print as -1),
 * keys in the order they are written, strings escaped as Go escapes them.
 *
 * The writer only checks that it has memory: the caller writes a
 * well-formed sequence (a key before each member value, ends that match
 * their begins). The first failed allocation makes jw_finish() return NULL. */
#ifndef BERTH_RUNTIME_JSON_WRITER_H
#define BERTH_RUNTIME_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_writer {
	char *buf;
	size_t len, cap;
	bool failed;
	bool need_comma; /* a member or element was written at this level */
	bool after_key;	 /* the next value is a member's, after its ':' */
};

#define JSON_WRITER_INIT                                                                           \
	{                                                                                          \
		0                                                                                  \
	}

void jw_begin_object(struct json_writer *w);
void jw_end_object(struct json_writer *w);
void jw_begin_array(struct json_writer *w);
void jw_end_array(struct json_writer *w);
/* The name of the next member of the current object. */
void jw_key(struct json_writer *w, const char *key);
void jw_u64(struct json_writer *w, uint64_t v);
void jw_i64(struct json_writer *w, int64_t v);
void jw_string(struct json_writer *w, const char *s);
void jw_null(struct json_writer *w);
/* A value that is already JSON text (written by another json_writer). */
void jw_raw(struct json_writer *w, const char *json);

/* The text (the caller frees it), or NULL when an allocation failed; the
 * writer is empty again either way. */
char *jw_finish(struct json_writer *w);

#endif
