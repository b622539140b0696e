/* process.c - the order in which a process becomes the container's process.
 *
 * Resource settings while still privileged; cwd as root (and again as the
 * user when root was refused); bounding set, identity, capabilities: all of
 * it before the seccomp filter, which is the last step that can fail on
 * someone else's profile. A profile written for other programs must not
 * break the runtime's own last steps, so after the filter only execve
 * remains, and without noNewPrivileges one capset: loading a filter then
 * needs CAP_SYS_ADMIN, which process_setup keeps in the effective and
 * permitted sets and process_seal drops once the filter is on. (runc loads
 * it before the identity change in that case and makes a dozen more calls
 * under it.) */
#include "identity.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lsm.h"
#include "libcontainer/rootfs/rootfs.h"
#include "sync.h"

static int join_session_keyring(const char *name, struct berth_error *err)
{
	if (!name)
		return 0;
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0) < 0) {
		/* As runc: a kernel or seccomp policy without keyrings is not fatal. */
		if (errno == ENOSYS || errno == EPERM || errno == EACCES)
			return 0;
		return berr_sys(err, errno, "join session keyring %s", name);
	}
	return 0;
}

static int install_seccomp(const struct process_ctx *ctx, struct berth_error *err)
{
	int notify_fd = -1;

	if (!ctx->seccomp)
		return 0;
	if (seccomp_filter_install(ctx->seccomp, &notify_fd, err) < 0)
		return berr_prefix(err, "install seccomp filter");
	if (notify_fd < 0)
		return 0;
	/* The parent forwards the notify fd to linux.seccomp.listenerPath. */
	int rc = sync_wait_seccomp_done(ctx->sync_fd, notify_fd, err);
	close(notify_fd);
	return rc;
}

int process_write_oom_score_adj(pid_t pid, const struct berth_process *p, int procfd,
				struct berth_error *err)
{
	char buf[16], rel[64];

	if (!p->has_oom_score_adj)
		return 0;
	snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
	snprintf(rel, sizeof(rel), "%d/oom_score_adj", (int)pid);
	if (procfs_write(procfd, rel, buf, err) < 0)
		return berr_prefix(err, "process.oomScoreAdj");
	return 0;
}

#define CAP_SYS_ADMIN_BIT ((uint64_t)1 << CAP_SYS_ADMIN)

/* The capabilities to leave process_setup with: the config's, plus
 * CAP_SYS_ADMIN when a filter must still be loaded without
 * noNewPrivileges; then ctx->drop_admin says to lower them to
 * ctx->final_caps after loading. */
static int apply_caps(struct process_ctx *ctx, struct berth_error *err)
{
	bool need_admin = ctx->seccomp && !ctx->proc->no_new_privileges;
	struct caps_sets now;

	if (ctx->caps) {
		now = *ctx->caps;
	} else if (!need_admin) {
		return 0; /* no process.capabilities: keep what we have */
	} else if (caps_current(&now, err) < 0) {
		return -1;
	}
	ctx->final_caps = now;
	if (need_admin && !(now.effective & CAP_SYS_ADMIN_BIT)) {
		now.effective |= CAP_SYS_ADMIN_BIT;
		now.permitted |= CAP_SYS_ADMIN_BIT;
		ctx->drop_admin = true;
	}
	if (!ctx->caps)
		return ctx->drop_admin ? caps_set(&now, err) : 0;
	return caps_apply(&now, err);
}

int process_setup(struct process_ctx *ctx, struct berth_error *err)
{
	const struct berth_process *p = ctx->proc;
	bool cwd_done = false;

	if (process_set_rlimits(p, err) < 0 || process_set_sched(p, err) < 0 ||
	    join_session_keyring(ctx->keyring_name, err) < 0)
		return -1;
	if (p->exec_cpu_affinity.initial &&
	    process_set_cpu_affinity(p->exec_cpu_affinity.initial,
				     "process.execCPUAffinity.initial", err) < 0)
		return -1;
	if (lsm_apply_exec(p, ctx->procfd, err) < 0)
		return -1;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return berr_sys(err, errno, "process.noNewPrivileges: prctl");
	/* As runc: first while privileged, so that a cwd only root can search
	 * works for any user; again below if root was refused. */
	if (process_enter_cwd(p, &cwd_done, false, err) < 0)
		return -1;
	/* The bounding set limits only what execve grants: dropping it now
	 * leaves the effective set (and loading the filter) alone. */
	if (ctx->caps && caps_drop_bounding(ctx->caps, err) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return berr_sys(err, errno, "prctl PR_SET_KEEPCAPS");
	if (process_set_user(p, ctx->setgroups_allowed, err) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return berr_sys(err, errno, "prctl PR_SET_KEEPCAPS");
	if (process_enter_cwd(p, &cwd_done, true, err) < 0 || apply_caps(ctx, err) < 0)
		return -1;
	/* Once in the cgroup (the caller waited for that): nothing after this
	 * moves us, so the final affinity need not wait for the filter. */
	if (p->exec_cpu_affinity.final &&
	    process_set_cpu_affinity(p->exec_cpu_affinity.final, "process.execCPUAffinity.final",
				     err) < 0)
		return -1;
	return 0;
}

int process_seal(struct process_ctx *ctx, struct berth_error *err)
{
	if (install_seccomp(ctx, err) < 0)
		return -1;
	if (ctx->drop_admin && caps_set(&ctx->final_caps, err) < 0)
		return berr_prefix(err, "drop CAP_SYS_ADMIN after loading the seccomp filter");
	ctx->drop_admin = false;
	return 0;
}

int process_exec(const struct process_ctx *ctx, struct berth_error *err)
{
	char line[sizeof(err->msg) + 1];

	execve(ctx->exec_path, ctx->argv, ctx->envp);
	berr_sys(err, errno, "exec %s", ctx->exec_path);
	/* As runc's init, on the process's own stderr first: engines match
	 * this line ("exec /run.sh: no such file or directory"). */
	int n = snprintf(line, sizeof(line), "%s\n", err->msg);
	if (n > 0 && write(STDERR_FILENO, line,
			   (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0) {
		/* the caller reports it too */
	}
	return -1;
}
