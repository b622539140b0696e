/* oci_features.h - the OCI features document (runtime-spec features.md) that
 * `berth features` prints: what this berth, on this host, can do.
 *
 * Static facts (spec versions, hook kinds, mount options, seccomp actions)
 * come from the modules that implement them, so the document can't drift
 * from the code; host facts (namespaces, cgroup versions, LSMs, idmapped
 * mounts) are probed read-only from /proc, /sys and harmless syscalls.
 * Never: change anything on the host, or claim a feature berth would
 * refuse at create time. */
#ifndef BERTH_OCI_FEATURES_H
#define BERTH_OCI_FEATURES_H

#include <jansson.h>

#include "libcontainer/error.h"

/* A new reference to the document (features-schema.json); NULL with err
 * filled on allocation failure. */
json_t *features_json(struct berth_error *err);

/* The document as text, indented like runc's output and ending with a
 * newline; free() it. */
char *features_text(struct berth_error *err);

#endif
