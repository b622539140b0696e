/* exeseal.h - the defence against overwriting berth's binary from inside a
 * container (CVE-2019-5736 class).
 *
 * The container init and exec'd processes are clones of berth: until they
 * execve the workload, /proc/self/exe is berth's binary, and a workload
 * that re-executes it (`#!/proc/self/exe`) could open it for writing. Before
 * creating such a process berth re-executes itself from a sealed memfd
 * copy, so the binary those processes expose is read-only and disposable.
 * Skipped when nothing in the container could write the file anyway: its
 * user namespace maps neither host root nor the binary's owner, or the
 * binary carries the immutable attribute (chattr +i) and the container
 * can't hold CAP_LINUX_IMMUTABLE to remove it. Each skip saves an exec. */
#ifndef BERTH_EXESEAL_H
#define BERTH_EXESEAL_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

/* True when this process runs from a sealed memfd. */
bool exeseal_is_sealed(void);
/* True when a container with this config (and `extra_caps` capability
 * names given to an exec'd process, may be NULL) could write berth's binary. */
bool exeseal_needed(const struct berth_spec *spec, char *const *extra_caps, size_t n_extra);
/* Re-execute argv from a sealed copy of /proc/self/exe. Returns only on failure. */
int exeseal_reexec(char **argv, struct berth_error *err);

#endif
