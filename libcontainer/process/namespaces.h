/* namespaces.h - which namespaces a container gets, joining them by path
 * (create) or by pidfd (exec). */
#ifndef BERTH_NAMESPACES_H
#define BERTH_NAMESPACES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* CLONE_NEW* flags of the namespaces the spec asks to create (no path). */
uint64_t ns_new_flags(const struct berth_spec *spec);
/* True when some namespace is joined by path. */
bool ns_has_joins(const struct berth_spec *spec);
/* setns() into every namespace given by path, user namespace first; pid
 * namespaces are skipped (they are joined by the parent before clone). */
int ns_join_paths(const struct berth_spec *spec, bool skip_pid, struct berth_error *err);
/* Parent side: join the pid namespace given by path for the next child. */
int ns_join_pid_path(const struct berth_spec *spec, struct berth_error *err);

/* The CLONE_NEW* flags of namespaces where `pid` differs from the caller. */
uint64_t ns_differing_flags(pid_t pid);
/* setns(pidfd, flags) with a per-namespace fallback for older kernels. */
int ns_join_pidfd(int pidfd, pid_t pid, uint64_t flags, struct berth_error *err);

/* The caller's own namespaces, saved to return to after a clone made
 * inside someone else's. */
struct ns_saved {
	int fds[8];
	int types[8];
	size_t n;
	int cwd_fd;
};

/* Enter pid's namespaces of `flags` (no user namespace) so that the next
 * clone is born inside all of them: the child is never visible in the
 * container while its root or any namespace is still the host's. */
int ns_enter_for_clone(int pidfd, pid_t pid, uint64_t flags, struct ns_saved *saved,
		       struct berth_error *err);
/* Return to the saved namespaces and cwd. */
int ns_restore(struct ns_saved *saved, struct berth_error *err);

#endif
