/* join.c - the exec'd process's sequence, one call per step. */
#include "join.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "clone3.h"
#include "console.h"
#include "init.h"
#include "namespaces.h"
#include "identity.h"
#include "libcontainer/rootfs/rootfs.h"
#include "sync.h"

static int setup_terminal(const struct join_config *cfg, struct berth_error *err)
{
	int slave = -1;
	int master = console_setup_child(cfg->proc, &slave, err);

	if (master < 0)
		return -1;
	int rc = sync_send_pty_master(cfg->sync_fd, master, err);
	close(master);
	close(slave);
	return rc;
}

static int join_steps(const struct join_config *cfg, struct berth_error *err)
{
	char exec_buf[4096];

	/* Into the container's v1 cgroups by ourselves (no grace period),
	 * then wait until the parent has done the rest (oom_score_adj). */
	if (cfg->self_join && cgroup_self_join(cfg->self_join, err) < 0)
		return -1;
	if (sync_wait_go(cfg->sync_fd, err) < 0)
		return -1;
	if (ns_join_pidfd(cfg->init_pidfd, cfg->init_pid, cfg->ns_flags, err) < 0)
		return -1;
	close(cfg->init_pidfd);
	int procfd = procfs_open(err);
	if (procfd < 0)
		return berr_prefix(err, "open the container's /proc");
	if (cfg->proc->terminal && setup_terminal(cfg, err) < 0)
		return -1;
	if (init_prepare_fds(cfg->preserve_fds, err) < 0)
		return -1;
	struct process_ctx pc = {
	    .proc = cfg->proc,
	    .caps = cfg->caps,
	    .seccomp = cfg->seccomp,
	    .setgroups_allowed = true,
	    .sync_fd = cfg->sync_fd,
	    .procfd = procfd,
	};
	if (process_resolve_exec(&pc, exec_buf, sizeof(exec_buf), err) < 0 ||
	    process_setup(&pc, err) < 0)
		return -1;
	/* The parent-death signal would survive execve: `exec -d` parents exit. */
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0)
		return berr_sys(err, errno, "clear parent-death signal");
	if (process_seal(&pc, err) < 0)
		return -1;
	return process_exec(&pc, err);
}

void join_run(const struct join_config *cfg)
{
	struct berth_error err = {0};

	clone3_child_begin(cfg->parent_fds, sizeof(cfg->parent_fds) / sizeof(cfg->parent_fds[0]));
	/* Not dumpable while we run berth's code inside the container's
	 * namespaces: its processes must not ptrace us or reach our fds
	 * and /proc/<pid>/exe (CVE-2016-9962). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		berr_sys(&err, errno, "prctl PR_SET_DUMPABLE");
	else if (sync_die_with_parent(cfg->sync_fd, &err) == 0)
		join_steps(cfg, &err);
	sync_send_error(cfg->sync_fd, &err);
	_exit(255);
}
