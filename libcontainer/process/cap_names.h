/* cap_names.h - capability names <-> numbers, one sorted table.
 *
 * Only the "CAP_" upper-case form is a name ("CAP_KILL"); "kill", "KILL" and
 * numbers are not, unlike libcap's cap_from_name(). Whether the running
 * kernel knows a capability is a separate question (cap_last_supported). */
#ifndef BERTH_CAP_NAMES_H
#define BERTH_CAP_NAMES_H

#include <stddef.h>

/* "CAP_KILL" -> 5. Returns 0, or -1 when the name is not in the table. */
int cap_from_name_checked(const char *name, int *cap);
/* 5 -> "CAP_KILL"; NULL for a number the table lacks. */
const char *cap_name_of(int cap);
/* The highest capability the running kernel knows (cap_last_cap). */
int cap_last_supported(void);

/* The table itself, sorted by name (for tests). */
struct cap_name {
	const char *name;
	int value;
};
extern const struct cap_name cap_name_table[];
extern const size_t cap_name_table_len;

#endif
