/* spec_default.h - the config.json that `berth spec` writes.
 *
 * The same defaults as `runc spec` (runc 1.2): a `sh` on a terminal, three
 * capabilities, a read-only "rootfs", the standard /proc /dev /sys mounts,
 * masked and read-only /proc and /sys paths, new pid/net/ipc/uts/mount
 * namespaces (and cgroup when the host runs cgroup v2 alone). `rootless`
 * applies runc's rootless conversion on top. It never overwrites an
 * existing config.json and never looks inside the bundle otherwise. */
#ifndef BERTH_SPEC_DEFAULT_H
#define BERTH_SPEC_DEFAULT_H

#include <jansson.h>
#include <stdbool.h>

#include "libcontainer/error.h"

/* A new reference to the default spec; NULL only when out of memory. */
json_t *spec_default_json(bool rootless);

/* The document as config.json text (tab-indented, trailing newline); free()
 * it. NULL only when out of memory. */
char *spec_default_text(bool rootless);

/* Create <dir>/config.json (dir NULL or "" = the current directory) with
 * the default document. Fails with runc's "File config.json exists. Remove
 * it first" when there is one already; the check and the creation are one
 * step (O_EXCL), so a concurrent writer is never clobbered. */
int spec_default_write(const char *dir, bool rootless, struct berth_error *err);

#endif
