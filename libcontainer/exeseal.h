/* exeseal.h - the defence against overwriting berth's binary from inside a
 * container (CVE-2019-5736 class).
 *
 * The container init and exec'd processes are clones of berth: until they
 * execve the workload, /proc/self/exe is berth's binary, and a workload
 * that re-executes it (`#!/proc/self/exe`) could open it for writing. Before
 * creating such a process berth re-executes itself from a sealed memfd
 * copy, so the binary those processes expose is read-only and disposable.
 * Skipped when the container's user namespace maps neither host root nor
 * the binary's owner (nothing in the container can write the file then). */
#ifndef BERTH_EXESEAL_H
#define BERTH_EXESEAL_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

/* True when this process runs from a sealed memfd. */
bool exeseal_is_sealed(void);
/* True when a container with this config could write berth's binary. */
bool exeseal_needed(const struct berth_spec *spec);
/* Re-execute argv from a sealed copy of /proc/self/exe. Returns only on failure. */
int exeseal_reexec(char **argv, struct berth_error *err);

#endif
