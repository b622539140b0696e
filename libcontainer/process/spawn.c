/* spawn.c - cloning the init or an exec'd process, with the namespace
 * moves around the clone, placing it and letting it go (see spawn.h). */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clone3.h"
#include "identity.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "libcontainer/rootfs/rootfs.h"
#include "namespaces.h"
#include "sync.h"
#include "userns.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int spawn_open(struct spawned *s, struct berth_error *err)
{
	int fds[2];

	if (sync_socketpair(fds, err) < 0)
		return -1;
	s->sock = fds[0];
	s->child_sock = fds[1];
	s->procfd = procfs_open(err);
	return s->procfd < 0 ? -1 : 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void spawned_close(struct spawned *s)
{
	close_fd(&s->pidfd);
	close_fd(&s->sock);
	close_fd(&s->child_sock);
	close_fd(&s->procfd);
	close_fd(&s->console_sock);
	close_fd(&s->pty_master);
	close_fd(&s->notify_sock);
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void spawned_kill(struct spawned *s)
{
	struct berth_error ignored;

	if (s->pid <= 0)
		return;
	pidfd_signal(s->pidfd, SIGKILL, &ignored);
	reap(s->pid);
}

void spawned_abandon(struct spawned *s)
{
	close_fd(&s->sock);
	if (s->pid > 0)
		reap(s->pid);
}

/* A pid namespace is entered by the next child: join the one given by path
 * for the clone only; *host gets ours to return to. */
static int enter_pidns_path(const struct berth_spec *spec, int *host, struct berth_error *err)
{
	const struct berth_namespace *pidns = berth_spec_namespace(spec, BERTH_NS_PID);

	if (!pidns || !pidns->path || !*pidns->path)
		return 0;
	*host = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (*host < 0)
		return berr_sys(err, errno, "open /proc/self/ns/pid");
	return ns_join_pid_path(spec, err);
}

/* Offsets can be written only while no process is in the time namespace:
 * make it ours for children (unshare), write them, let the clone be born
 * in it (so it is no longer a flag of the clone); *host gets ours to
 * return our later children to. */
static int enter_new_timens(const struct berth_spec *spec, uint64_t *flags, int procfd, int *host,
			    struct berth_error *err)
{
	const struct berth_linux *l = &spec->linux_;

	if (!(*flags & CLONE_NEWTIME) || !(l->time_monotonic.present || l->time_boottime.present))
		return 0;
	*host = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
	if (*host < 0)
		return berr_sys(err, errno, "open /proc/self/ns/time");
	if (unshare(CLONE_NEWTIME) < 0)
		return berr_sys(err, errno, "linux.timeOffsets: unshare the time namespace");
	if (timens_write_offsets(getpid(), spec, procfd, err) < 0)
		return -1;
	*flags &= ~(uint64_t)CLONE_NEWTIME;
	return 0;
}

/* v2 places a child at birth, so clone3 can make its cgroup namespace
 * rooted there; v1 hierarchies can't (see init.h, unshare_cgroupns). */
static bool places_at_birth(const struct cgroup_manager *cg)
{
	return !cg || cgroup_manager_is_disabled(cg) ||
	       cgroup_manager_driver(cg) == CGROUP_DRIVER_V2;
}

int spawn_init(struct spawned *s, struct init_config *cfg, const char *bundle,
	       struct cgroup_manager *cg, struct berth_error *err)
{
	const struct berth_spec *spec = cfg->spec;
	uint64_t flags = ns_new_flags(spec);
	_cleanup_close_ int host_pidns = -1;
	_cleanup_close_ int host_timens = -1;
	_cleanup_self_join_ struct cgroup_self_join sj = {.n = 0};

	cfg->new_userns = (flags & CLONE_NEWUSER) != 0;
	/* Relative mount sources are relative to the bundle, as with runc. */
	if (chdir(bundle) < 0)
		return berr_sys(err, errno, "chdir to bundle %s", bundle);
	if (enter_pidns_path(spec, &host_pidns, err) < 0)
		return -1;
	if ((flags & CLONE_NEWCGROUP) && !places_at_birth(cg)) {
		flags &= ~(uint64_t)CLONE_NEWCGROUP;
		cfg->unshare_cgroupns = true;
	}
	if (enter_new_timens(spec, &flags, s->procfd, &host_timens, err) < 0)
		return -1;
	if (cg && cgroup_manager_open_self_join(cg, &sj, err) < 0)
		return -1;
	cfg->self_join = &sj;
	s->pid = clone3_fork(flags, cg ? cgroup_manager_clone_fd(cg) : -1, &s->pidfd, err);
	if (s->pid == 0)
		init_run(cfg);
	cgroup_self_join_close(&sj);
	cfg->self_join = NULL;
	if (host_pidns >= 0 && setns(host_pidns, CLONE_NEWPID) < 0 && s->pid > 0)
		return berr_sys(err, errno, "return to the host pid namespace");
	if (host_timens >= 0 && setns(host_timens, CLONE_NEWTIME) < 0 && s->pid > 0)
		return berr_sys(err, errno, "return to the host time namespace");
	if (s->pid < 0)
		return -1;
	s->busy_before_go = true;
	return 0;
}

/* Rootless (only from inside the container's user namespace may we join
 * the rest) and root of a nested user namespace (rootless podman's: it
 * can enter the container's namespaces but not return to the host's):
 * join for good, this process only waits. The seccomp listener is a host
 * path: connect while we see it. */
static int join_for_good(struct spawned *s, struct join_config *cfg, const struct spawn_join *j,
			 uint64_t flags, struct berth_error *err)
{
	if (cfg->seccomp && seccomp_filter_wants_notify(cfg->seccomp)) {
		s->notify_sock = seccomp_notify_connect(j->seccomp, err);
		if (s->notify_sock < 0)
			return -1;
		cfg->parent_fds[5] = s->notify_sock; /* never the child's */
	}
	if (ns_join_pidfd(cfg->init_pidfd, cfg->init_pid, flags, err) < 0)
		return berr_prefix(err, "join container %s", j->id);
	return 0;
}

/* The container made its cgroup an inner node with controllers (systemd
 * inside moves itself to init.scope): no process may be born there, so
 * join the init's cgroup instead, as runc does. */
static pid_t clone_beside_init(struct spawned *s, struct join_config *cfg,
			       const struct spawn_join *j, struct berth_error *err)
{
	_cleanup_close_ int initcg =
	    cgroup_manager_open_cgroup_of(j->cgroup, s->procfd, cfg->init_pid);

	if (initcg < 0)
		return -1;
	cfg->parent_fds[4] = initcg;
	return clone3_fork(0, initcg, &s->pidfd, err);
}

int spawn_join(struct spawned *s, struct join_config *cfg, const struct spawn_join *j,
	       struct berth_error *err)
{
	uint64_t all_flags = ns_differing_flags(cfg->init_pid);
	/* The cgroup namespace is joined by the child, once it is born in the
	 * container's cgroup: with nsdelegate, a process already inside the
	 * container's cgroup namespace may not clone into (nor be moved into)
	 * a cgroup from a cgroup outside that namespace (ENOENT). */
	uint64_t flags = all_flags & ~(uint64_t)CLONE_NEWCGROUP;
	struct ns_saved saved = {.cwd_fd = -1};
	bool entered = false;
	int cgfd = j->cgroup ? cgroup_manager_clone_fd(j->cgroup) : -1;
	_cleanup_self_join_ struct cgroup_self_join sj = {.n = 0};
	sigset_t all;

	cfg->ns_flags = all_flags & CLONE_NEWCGROUP;
	cfg->userns = (flags & CLONE_NEWUSER) != 0;
	if (j->cgroup && cgroup_manager_open_self_join(j->cgroup, &sj, err) < 0)
		return berr_prefix(err, "join container %s", j->id);
	cfg->self_join = &sj;
	/* The child is born inside every namespace of the container, so nothing
	 * in there ever sees it with the host's root or namespaces. */
	if (((flags & CLONE_NEWUSER) && geteuid() != 0) || j->nested_userns) {
		if (join_for_good(s, cfg, j, flags, err) < 0)
			return -1;
	} else if (ns_enter_for_clone(cfg->init_pidfd, cfg->init_pid, flags, &saved, err) < 0) {
		return berr_prefix(err, "join container %s", j->id);
	} else {
		cfg->ns_flags |= flags & CLONE_NEWUSER;
		entered = true;
	}
	sigfillset(&all);
	if (j->old_mask && sigprocmask(SIG_BLOCK, &all, j->old_mask) < 0)
		return berr_sys(err, errno, "sigprocmask");
	s->pid = clone3_fork(0, cgfd, &s->pidfd, err);
	if (s->pid < 0 && err->errnum == EBUSY && cgfd >= 0)
		s->pid = clone_beside_init(s, cfg, j, err);
	if (s->pid == 0)
		join_run(cfg);
	cgroup_self_join_close(&sj);
	cfg->self_join = NULL;
	if (entered && ns_restore(&saved, s->pid > 0 ? err : NULL) < 0 && s->pid > 0)
		return -1;
	if (s->pid < 0)
		return -1;
	log_debug("exec process pid %d (%s), namespaces joined 0x%llx%s", (int)s->pid,
		  cfg->proc->args[0], (unsigned long long)flags,
		  cfg->proc->terminal ? ", with a terminal" : "");
	return 0;
}

int spawn_place(struct spawned *s, struct cgroup_manager *cg, struct berth_error *err)
{
	close_fd(&s->child_sock);
	if (cg && cgroup_manager_add_pid(cg, s->pid, err) < 0)
		return -1;
	return 0;
}

int spawn_go(struct spawned *s, const struct berth_process *p, struct berth_error *err)
{
	if (process_write_oom_score_adj(s->pid, p, s->procfd, err) < 0)
		return -1;
	if (sync_send_go(s->sock, err) == 0)
		return 0;
	/* A child gone already: its own error waits in the socket, report that. */
	if (s->busy_before_go && (err->errnum == EPIPE || err->errnum == ECONNRESET))
		return 0;
	return -1;
}
