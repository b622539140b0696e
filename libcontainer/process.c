/* process.c - the order in which a process becomes the container's process.
 *
 * The order follows the spec and runc: resource settings while still
 * privileged; the seccomp filter before dropping capabilities when there is
 * no noNewPrivileges (loading it then needs CAP_SYS_ADMIN), and as late as
 * possible otherwise; bounding set, identity, capabilities; cwd. */
#include "process.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lsm.h"
#include "procfs.h"
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

int process_setup(struct process_ctx *ctx, struct berth_error *err)
{
	const struct berth_process *p = ctx->proc;

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
	if (!p->no_new_privileges && install_seccomp(ctx, err) < 0)
		return -1;
	if (ctx->caps && caps_drop_bounding(ctx->caps, err) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return berr_sys(err, errno, "prctl PR_SET_KEEPCAPS");
	if (process_set_user(p, ctx->setgroups_allowed, err) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return berr_sys(err, errno, "prctl PR_SET_KEEPCAPS");
	if (ctx->caps && caps_apply(ctx->caps, err) < 0)
		return -1;
	if (process_set_cwd(p, err) < 0)
		return -1;
	if (p->no_new_privileges && install_seccomp(ctx, err) < 0)
		return -1;
	return 0;
}

int process_exec(const struct process_ctx *ctx, struct berth_error *err)
{
	const struct berth_process *p = ctx->proc;

	if (p->exec_cpu_affinity.final &&
	    process_set_cpu_affinity(p->exec_cpu_affinity.final, "process.execCPUAffinity.final",
				     err) < 0)
		return -1;
	execve(ctx->exec_path, ctx->argv, ctx->envp);
	return berr_sys(err, errno, "exec %s", ctx->exec_path);
}
