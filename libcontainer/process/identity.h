/* identity.h - turning a cloned berth process into the container's process:
 * limits, scheduling, identity, capabilities, seccomp, cwd, then execve.
 *
 * Shared by the container init and by `exec`. Runs in the child only; the
 * parent prepared everything that can be prepared (caps bits, compiled
 * seccomp). Never allocates, and calls nothing but capset and execve,
 * after seccomp is on. */
#ifndef BERTH_PROCESS_IDENTITY_H
#define BERTH_PROCESS_IDENTITY_H

#include <stdbool.h>
#include <sys/types.h>

#include "caps.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"
#include "libcontainer/seccomp/seccomp_filter.h"

struct process_ctx {
	const struct berth_process *proc;
	const struct caps_sets *caps;	      /* NULL: keep all (no process.capabilities) */
	const struct seccomp_filter *seccomp; /* NULL: no filter */
	const char *keyring_name;	      /* NULL: no new session keyring */
	bool setgroups_allowed;		      /* false in a userns with setgroups=deny */
	int sync_fd;			      /* to hand a seccomp notify fd to the parent */
	int procfd;			      /* verified procfs handle of the container */
	const char *exec_path;		      /* set by process_resolve_exec() */
	char **argv;			      /* NULL-terminated, built by process_resolve_exec() */
	char **envp;
	/* Set by process_setup: CAP_SYS_ADMIN held only to load the filter
	 * without noNewPrivileges; process_seal lowers to final_caps. */
	bool drop_admin;
	struct caps_sets final_caps;
};

/* Everything but the seccomp filter: limits, scheduling, cwd, bounding
 * set, identity, capabilities, final CPU affinity. */
int process_setup(struct process_ctx *ctx, struct berth_error *err);
/* The seccomp filter (its notify fd handed over ctx->sync_fd), then the
 * capset that drops what was kept to load it. After this only execve: a
 * profile has to allow no more of berth (README, "Security notes"). */
int process_seal(struct process_ctx *ctx, struct berth_error *err);
/* Find args[0] in the container (PATH from process.env, else the default):
 * "exec: \"x\": executable file not found in $PATH" as runc words it. Also
 * builds argv and envp (duplicates merged, the last value kept where the
 * first stood; HOME from the user's passwd entry when missing or empty). */
int process_resolve_exec(struct process_ctx *ctx, char *buf, size_t len, struct berth_error *err);
/* execve. Returns only on failure, after writing runc's line for it
 * ("exec PATH: why") to the process's stderr. */
int process_exec(const struct process_ctx *ctx, struct berth_error *err);

/* Parent side: the child is not dumpable (so the container can't reach into
 * it), which leaves its /proc files to the host's root: write from outside. */
int process_write_oom_score_adj(pid_t pid, const struct berth_process *p, int procfd,
				struct berth_error *err);

/* Individual steps, exposed for unit tests. */
int process_set_rlimits(const struct berth_process *p, struct berth_error *err);
int process_set_user(const struct berth_process *p, bool setgroups_allowed,
		     struct berth_error *err);
/* Enter process.cwd; `last_try` false: EACCES/EPERM leave *done false for
 * a second try after the identity change. */
int process_enter_cwd(const struct berth_process *p, bool *done, bool last_try,
		      struct berth_error *err);
int process_set_sched(const struct berth_process *p, struct berth_error *err);
int process_set_cpu_affinity(const char *cpus, const char *field, struct berth_error *err);
int process_set_personality(const struct berth_personality *per, struct berth_error *err);

#endif
