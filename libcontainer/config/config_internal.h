/* config_internal.h - how the config_*.c files of the parser call each other.
 *
 * Not a public header: only config_*.c include it. Each section parser
 * fills a zeroed struct in place; on failure it returns -1 with err set and
 * leaves the struct in a state berth_spec_free() can release (arrays get
 * their count as soon as they are allocated zeroed). */
#ifndef BERTH_CONFIG_INTERNAL_H
#define BERTH_CONFIG_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "config.h"
#include "config_json.h"
#include "config_tables.h"

/* config_fields.c: readers for field shapes several sections share. */
/* "<path>.<key>: must be an absolute path, got \"x\"" unless value starts with '/'. */
int cfg_check_abs(const char *value, const char *path, const char *key, struct berth_error *err);
/* A string field that must name an entry of t; *out NULL when absent. */
int cfg_enum(json_t *o, const char *path, const char *key, int flags, const struct cfg_table *t,
	     const struct cfg_name_value **out, char **name, struct berth_error *err);
/* An array of names of t: copies them into *names and *n, and ORs their values into *bits. */
int cfg_enum_list(json_t *o, const char *path, const char *key, const struct cfg_table *t,
		  char ***names, size_t *n, uint64_t *bits, struct berth_error *err);
/* An array of IDMapping objects. */
int cfg_id_mappings(json_t *o, const char *path, const char *key, struct berth_id_mapping **out,
		    size_t *n, struct berth_error *err);

/* config_process.c */
int cfg_parse_process(json_t *o, const char *path, struct berth_process *p,
		      struct berth_error *err);

/* config_linux.c */
int cfg_parse_linux(json_t *o, const char *path, struct berth_linux *l, struct berth_error *err);

/* config_resources.c */
int cfg_parse_resources(json_t *o, const char *path, struct berth_resources *r,
			struct berth_error *err);

/* config_seccomp.c */
int cfg_parse_seccomp(json_t *o, const char *path, struct berth_seccomp *s,
		      struct berth_error *err);

/* config_free.c: release what a struct owns without freeing the struct. */
void cfg_free_strv(char **v, size_t n);
void cfg_free_process_fields(struct berth_process *p);

#endif
