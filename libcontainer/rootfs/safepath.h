/* safepath.h - resolving bundle-controlled paths inside a root by fd.
 *
 * The rootfs belongs to the image author: any component of a mount
 * destination, device path or masked path may be a symlink to "/", to
 * "/host", to "/proc/self/root". Paths are therefore resolved inside the
 * root directory fd as if it were "/" (openat2 RESOLVE_IN_ROOT, or a
 * component walk with O_NOFOLLOW that resolves symlinks itself where openat2
 * is missing), missing components are created with mkdirat/openat relative
 * to an already-checked directory fd, and callers act on the fd they get
 * back (mount on "/proc/self/fd/N", fchown, ...).
 *
 * Never: hand a path string to a syscall that would resolve it again, follow
 * a magic link, or let ".." or an absolute symlink climb out of the root. */
#ifndef BERTH_SAFEPATH_H
#define BERTH_SAFEPATH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/error.h"

/* openat2(2) by syscall number; -1 with errno (ENOSYS where the kernel lacks it). */
int safepath_openat2(int dirfd, const char *path, int flags, uint64_t resolve);

/* True when the openat2-less fallback must be used: the kernel lacks openat2
 * or BERTH_SAFEPATH_FALLBACK=1 is in the environment (tests force the walk
 * with it). */
bool safepath_use_fallback(void);
/* Force (or stop forcing) the fallback walk, for unit tests. */
void safepath_force_fallback(bool on);

/* Open `path` (absolute or relative; interpreted with rootfd as "/") inside
 * the root. Symlinks are followed inside the root, magic links refused,
 * ".." never climbs above the root. `flags` are open(2) flags; O_CLOEXEC is
 * always added. O_NOFOLLOW applies to the last component only. */
int safepath_open(int rootfd, const char *path, int flags, struct berth_error *err);

/* Like safepath_open(.., O_PATH), creating every missing directory with
 * `mode` and, when last_is_file, the last component as an empty regular
 * file (mode 0644 & ~umask... i.e. created with 0644). Returns an O_PATH fd
 * of the last component. An existing last component is returned as it is,
 * whatever its type: the caller checks the type it needs. */
int safepath_mkdir_p(int rootfd, const char *path, mode_t mode, bool last_is_file,
		     struct berth_error *err);

/* "/proc/self/fd/<fd>" into buf, the form mount(2) takes for an fd target. */
#define SAFEPATH_FDPATH_MAX 32
const char *safepath_fdpath(int fd, char buf[SAFEPATH_FDPATH_MAX]);

/* The parent directory (O_PATH, inside the root) of `path` and its last
 * component, copied into `name` (NAME_MAX+1 bytes). Used to create device
 * nodes and symlinks with mknodat/symlinkat on a checked directory. */
int safepath_open_parent(int rootfd, const char *path, bool create, char *name,
			 struct berth_error *err);

#endif
