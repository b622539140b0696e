/* exeseal.h - the defence against overwriting berth's binary from inside a
 * container (CVE-2019-5736 class).
 *
 * The container init and exec'd processes are clones of berth: until they
 * execve the workload, /proc/self/exe is berth's binary, and a workload
 * that re-executes it (`#!/proc/self/exe`) could open it for writing.
 * Before creating such a process berth re-executes itself from a binary
 * the container can't write, in the cheapest way that holds:
 *   - nothing to do when nothing in the container could write the file:
 *     its user namespace maps neither host root nor the binary's owner, or
 *     the binary is immutable (chattr +i) and CAP_LINUX_IMMUTABLE is out
 *     of reach;
 *   - a read-only detached mount of the binary itself (open_tree + no
 *     copy), when the container can't hold CAP_SYS_ADMIN to remount it;
 *   - else a sealed memfd copy, which not even CAP_SYS_ADMIN can write. */
#ifndef BERTH_EXESEAL_H
#define BERTH_EXESEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

enum exeseal_mode {
	EXESEAL_NONE,	  /* the container can't write the binary anyway */
	EXESEAL_RO_MOUNT, /* run from a read-only detached mount of it */
	EXESEAL_MEMFD,	  /* run from a sealed memfd copy */
};

/* What a container with this config (and `extra_caps`, the capabilities an
 * exec'd process adds: bit n = capability n) needs. */
enum exeseal_mode exeseal_needed(const struct berth_spec *spec, uint64_t extra_caps);
/* True when this process already runs from a binary that `mode` accepts. */
bool exeseal_is_sealed(enum exeseal_mode mode);
/* Re-execute argv from a protected binary. Returns only on failure. */
int exeseal_reexec(enum exeseal_mode mode, char **argv, struct berth_error *err);
/* The decision before a clone, in one call: when this process does not
 * run from a binary that the container (with `extra_caps` of an exec'd
 * process) can't write, re-execute argv from one; returns only on failure
 * then. Returns 0 when nothing is needed or argv is NULL (a caller that
 * can't be re-executed). */
int exeseal_ensure(const struct berth_spec *spec, uint64_t extra_caps, char **argv,
		   struct berth_error *err);
/* True in the image exeseal_reexec() started (once: the mark is cleared), so
 * that what the first image already told the user is not told twice. */
bool exeseal_take_reexec_mark(void);

#endif
