/* newmount.h - a new filesystem as a detached mount (fsopen, fsconfig,
 * fsmount), from the mount(2)-style type, source, data string and MS_*
 * flags of a config.json mount.
 *
 * A detached mount is reachable only through its fd: nothing can see it or
 * lead a path lookup to it until the caller attaches it with move_mount, so
 * the caller can fill it (tmpcopyup) and set its attributes first, and the
 * fd keeps naming the new mount's root whatever happens to the
 * destination's name.
 *
 * Never: attach the mount (the caller does, on a checked fd), or resolve a
 * path. */
#ifndef BERTH_NEWMOUNT_H
#define BERTH_NEWMOUNT_H

#include <stdbool.h>

#include "libcontainer/error.h"

/* newmount_create's answer where fsopen is refused (ENOSYS: old kernel;
 * EPERM: a seccomp filter, or no privilege, which mount(2) reports too). */
#define NEWMOUNT_NO_FSOPEN (-2)

/* True when fsopen can make exactly what mount(2) makes with these MS_*
 * flags: false for mand, silent and iversion, which fsconfig has no name
 * for. */
bool newmount_flags_fit(unsigned long ms_flags);

/* The per-mount MS_* flags as MOUNT_ATTR_* for fsmount(2); for atime,
 * mount(2)'s precedence (strictatime over noatime over relatime). */
unsigned newmount_attrs(unsigned long ms_flags);

/* A new `type` filesystem, detached. `source` and `label` (SELinux
 * context=) may be NULL; `data` is the mount(2) data string ("size=1m,
 * mode=700"; commas inside double quotes do not split, quotes around a
 * value are removed) or NULL; of `ms_flags` the superblock flags (ro, sync,
 * dirsync, lazytime) are used; `attrs` are MOUNT_ATTR_* for the mount.
 * Returns the mount's fd (O_PATH, its root), -1 with err set (naming the
 * option the kernel refused, with its own message), or NEWMOUNT_NO_FSOPEN. */
int newmount_create(const char *type, const char *source, const char *data, const char *label,
		    unsigned long ms_flags, unsigned attrs, struct berth_error *err);

#endif
