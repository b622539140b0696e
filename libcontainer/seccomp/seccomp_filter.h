/* seccomp_filter.h - linux.seccomp: compile the profile to BPF in the parent, cache
 * it, install it in the child, hand a notify fd to the listener.
 *
 * The parent compiles `struct berth_seccomp` with libseccomp into a classic
 * BPF program before the clone (or loads it from a cache keyed by a content
 * hash, with no libseccomp call at all), and the child installs that program
 * with the raw seccomp(2) syscall: the child never runs libseccomp and never
 * allocates for seccomp.
 *
 * Semantics follow runc: SCMP_ACT_KILL means KILL_THREAD; ERRNO and TRACE
 * without errnoRet use EPERM; syscall names this libseccomp does not know are
 * skipped (log_debug); a rule whose action equals the default action is
 * skipped; several conditions on one syscall form one rule (all must match)
 * unless an argument index repeats, in which case each condition is its own
 * rule (any may match); the native architecture is always in the filter.
 * SCMP_ACT_NOTIFY is refused as the default action and for write/sendmsg/
 * sendto, which the child itself needs after the install to pass the notify
 * fd to the parent (otherwise init would wait on its own listener forever).
 *
 * Syscalls newer than the profile (numbers above the highest one it names,
 * native arch) answer ENOSYS instead of the default action, as runc's
 * patchbpf stub does, unless the default action is ALLOW, LOG or ENOSYS.
 *
 * When to install (the caller's concern, as in runc; see process.c):
 *  - process.noNewPrivileges: as late as possible. Everything between the
 *    install and execve runs under the filter, so keep it to what runc
 *    also does there: the SYNC_SECCOMP_FD/SYNC_SECCOMP_DONE exchange when
 *    the filter wants a listener (sendmsg/recvmsg), the sync with the
 *    parent and the exec-fifo wait (openat/read/write/close), close, and
 *    execve. Realistic profiles allow all of these; a profile that denies
 *    them fails the start, in runc too.
 *  - without noNewPrivileges: installing needs CAP_SYS_ADMIN, so install
 *    before capabilities are dropped. Everything after the install then
 *    runs under the filter: prctl (PR_CAPBSET_DROP, PR_SET_KEEPCAPS,
 *    PR_CAP_AMBIENT), setgroups, setresgid, setresuid, capset, chdir, the
 *    above, and execve. runc does exactly this and adds no holes to the
 *    profile; Docker's and podman's profiles allow all of them.
 *
 * Never: call libseccomp or allocate in the child (seccomp_filter_install);
 * trust a cache file that is not ours (owner, mode, type and content are
 * checked on every load); add rules the profile did not ask for (the
 * ENOSYS stub only changes which errno a denied syscall gets). */
#ifndef BERTH_SECCOMP_FILTER_H
#define BERTH_SECCOMP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* A compiled BPF program plus the seccomp(2) flags to install it with. */
struct seccomp_filter;

/* Most entries kept in <cache_dir>/seccomp; the oldest go first. */
#define SECCOMP_CACHE_MAX_ENTRIES 64

/* Parent side, before the clone: compile s into BPF, or load it from
 * <cache_dir>/seccomp/<sha256>.bpf (cache_dir NULL: no cache). A cache that
 * can't be used (wrong owner or mode, unwritable) is logged and skipped,
 * never fatal. Errors name the field: "linux.seccomp.syscalls[3].args[0]:
 * index 7 out of range (0-5)". */
int seccomp_filter_prepare(const struct berth_seccomp *s, const char *cache_dir,
			   struct seccomp_filter **out, struct berth_error *err);

/* Child side: install with seccomp(SECCOMP_SET_MODE_FILTER) and the
 * configured flags (TSYNC, LOG, SPEC_ALLOW, WAIT_KILLABLE_RECV; NEW_LISTENER
 * when a rule is SCMP_ACT_NOTIFY). *notify_fd gets the listener fd, or -1.
 * Raw syscalls only, no allocation: safe after clone without exec. */
int seccomp_filter_install(const struct seccomp_filter *f, int *notify_fd, struct berth_error *err);

/* True when the installed filter will return a listener fd, i.e. the
 * caller must run the SYNC_SECCOMP_FD exchange and seccomp_notify_forward. */
bool seccomp_filter_wants_notify(const struct seccomp_filter *f);

/* True when the program came from the cache (for tests and --debug). */
bool seccomp_filter_from_cache(const struct seccomp_filter *f);

/* Number of BPF instructions (for tests and --debug). */
unsigned seccomp_filter_length(const struct seccomp_filter *f);

void seccomp_filter_free(struct seccomp_filter *f);

/* Parent side: connect to s->listener_path (unix stream socket) and send
 * message, the spec's container process state {"ociVersion","fds":
 * ["seccompFd"],"pid","metadata","state"} (built above the library), with
 * notify_fd attached (SCM_RIGHTS), then close the connection. notify_fd
 * stays owned by the caller. */
int seccomp_notify_forward(const struct berth_seccomp *s, int notify_fd, const char *message,
			   struct berth_error *err);
/* The same in two steps, for a caller that must connect while it still
 * sees the host's paths (exec's no-return path joins the container's mount
 * namespace first): a connected socket, then the message and fd on it.
 * The caller closes the socket. */
int seccomp_notify_connect(const struct berth_seccomp *s, struct berth_error *err);
int seccomp_notify_send(int sock, const struct berth_seccomp *s, int notify_fd, const char *message,
			struct berth_error *err);

/* A list of names (static strings; the array is owned). */
struct seccomp_name_list {
	const char **names;
	size_t n;
};

/* What `berth features` reports as linux.seccomp: the names berth knows
 * and, probed against this kernel, whether seccomp is on and which filter
 * flags it accepts. */
struct seccomp_features {
	bool enabled;
	struct seccomp_name_list actions, operators, archs, known_flags, supported_flags;
};

/* Fill f (nothing is installed: see seccomp_features.c); ENOMEM is the only
 * failure. Free with seccomp_features_free, also after a failure. */
int seccomp_features_probe(struct seccomp_features *f, struct berth_error *err);
void seccomp_features_free(struct seccomp_features *f);

#endif
