/* procfs.h - reading and writing /proc files without being redirected.
 *
 * Every write berth makes to procfs (oom_score_adj, uid_map, sysctls, LSM
 * attributes) goes through here. A container controls its own mounts, and a
 * mount over /proc/self/..., a symlink, or a non-procfs filesystem at /proc
 * would otherwise turn a berth write into a write on a file of the
 * attacker's choosing (CVE-2019-16884, CVE-2025-52881). So: the /proc
 * directory is checked to be the root of a procfs, paths are resolved
 * beneath it with no symlinks, no magic links and no mount crossings, and
 * the opened file is checked to be on procfs again before any byte moves.
 *
 * Never: follow a symlink, cross a mount, or trust "self" to mean the same
 * process in every pid namespace (it is resolved through the procfs's own
 * "self" link, which the kernel answers for the procfs's pid namespace). */
#ifndef BERTH_PROCFS_H
#define BERTH_PROCFS_H

#include <stddef.h>

#include "libcontainer/error.h"

/* Open "/proc" as O_PATH|O_DIRECTORY|O_CLOEXEC and verify it is the root of a
 * procfs (fstatfs f_type == PROC_SUPER_MAGIC, root inode). Returns the fd. */
int procfs_open(struct berth_error *err);

/* Write `data` (whole, in one write(2)) to <proc>/<rel>, e.g.
 * "self/oom_score_adj", "sys/net/ipv4/ip_forward", "1234/uid_map". A leading
 * "self" or "thread-self" component is replaced by the numeric path the
 * procfs itself gives for it. procfd may be -1: a fresh one is opened. */
int procfs_write(int procfd, const char *rel, const char *data, struct berth_error *err);

/* Read <proc>/<rel> into buf (at most len-1 bytes), NUL-terminated. Returns
 * the number of bytes read. */
int procfs_read(int procfd, const char *rel, char *buf, size_t len, struct berth_error *err);

/* Open <proc>/<rel> with `flags` (O_RDONLY, O_WRONLY, O_PATH...) under the
 * same rules and return the checked fd; for callers that need the fd itself
 * (e.g. to keep /proc/<pid>/ns/... or a write fd across a fork). */
int procfs_openat(int procfd, const char *rel, int flags, struct berth_error *err);

#endif
