/* caps.h - process.capabilities: names to bit sets in the parent, the five
 * sets applied in the child.
 *
 * Order in the child (the caller's sequence, as runc): caps_drop_bounding
 * while still privileged; prctl(PR_SET_KEEPCAPS, 1) and the uid/gid switch;
 * caps_apply. An absent process.capabilities gives five empty sets (the
 * workload runs with no capabilities), as runc's init does.
 *
 * Never: allocate or call libcap in the child functions (raw prctl/capset
 * only); turn an unknown or malformed capability name into an error (the config may come
 * from a newer host: warn and skip, as runc). */
#ifndef BERTH_CAPS_H
#define BERTH_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include "cap_names.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

struct caps_sets {
	uint64_t bounding, effective, inheritable, permitted, ambient; /* bit n = capability n */
};

/* Parent side: names -> bits. Names the running kernel or this table does
 * not know, malformed ones ("UNKNOWN_CAP", "cap_kill") included, are
 * skipped with log_warn("process.capabilities.bounding[3]: unknown
 * capability ..."), as runc does; never fails today. Ambient capabilities missing
 * from permitted or inheritable are dropped with a warning (the kernel
 * would refuse to raise them). */
int caps_parse(const struct berth_capabilities *c, struct caps_sets *out, struct berth_error *err);

/* Child side, still privileged: drop from the bounding set every
 * capability the kernel has that is not in s->bounding (PR_CAPBSET_DROP). */
int caps_drop_bounding(const struct caps_sets *s, struct berth_error *err);

/* Child side, after the uid/gid switch done with PR_SET_KEEPCAPS: capset
 * effective/permitted/inheritable, clear the ambient set, raise s->ambient. */
int caps_apply(const struct caps_sets *s, struct berth_error *err);

/* Child side: capset of effective/permitted/inheritable alone (ambient and
 * bounding untouched), and capget of the same three. */
int caps_set(const struct caps_sets *s, struct berth_error *err);
int caps_current(struct caps_sets *s, struct berth_error *err);

/* Capability numbers fit a 64-bit set, so no host has more names. */
#define CAPS_MAX 64

/* For `berth features` "linux.capabilities": the "CAP_..." names this host
 * supports, in capability-number order, into names[] (static strings).
 * Returns how many. */
size_t caps_supported(const char *names[CAPS_MAX]);

#endif
