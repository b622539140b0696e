/* config_tables.h - the OCI enum names and the numbers they stand for.
 *
 * Each table is sorted by name (a unit test checks it) and searched with
 * bsearch. The parser resolves names once; nothing else should compare
 * these strings. Tables hold no state and must never be modified. */
#ifndef BERTH_CONFIG_TABLES_H
#define BERTH_CONFIG_TABLES_H

#include <stddef.h>

struct cfg_name_value {
	const char *name;
	long long value;
};

struct cfg_table {
	const char *what; /* "namespace type", used in "unknown <what> \"x\"" */
	const struct cfg_name_value *entries;
	size_t n;
};

extern const struct cfg_table cfg_namespace_types; /* value: enum berth_ns_type */
extern const struct cfg_table cfg_rlimits;	   /* RLIMIT_* */
extern const struct cfg_table cfg_sched_policies;  /* SCHED_* */
extern const struct cfg_table cfg_sched_flags;	   /* SCHED_FLAG_* bits */
extern const struct cfg_table cfg_ioprio_classes;  /* IOPRIO_CLASS_* */
extern const struct cfg_table cfg_seccomp_actions; /* enum berth_seccomp_action */
extern const struct cfg_table cfg_seccomp_ops;	   /* enum berth_seccomp_op */
extern const struct cfg_table cfg_seccomp_arches;  /* value unused (0) */
extern const struct cfg_table cfg_seccomp_flags;   /* SECCOMP_FILTER_FLAG_* bits */
extern const struct cfg_table cfg_propagations;	   /* MS_PRIVATE ... */
extern const struct cfg_table cfg_personalities;   /* PER_LINUX, PER_LINUX32 */
extern const struct cfg_table cfg_mpol_modes;	   /* MPOL_* */
extern const struct cfg_table cfg_mpol_flags;	   /* MPOL_F_* bits */
extern const struct cfg_table cfg_freebsd_sharing; /* "disable" "inherit" "new" */

/* NULL when name is not in the table. */
const struct cfg_name_value *cfg_lookup(const struct cfg_table *t, const char *name);

/* For tests: 1 when entries are strictly sorted by name. */
int cfg_table_sorted(const struct cfg_table *t);

#endif
