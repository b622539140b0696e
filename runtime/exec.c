/* exec.c - `exec`: the parent side. It builds the process from the
 * container's config and the flags (or from a process.json), prepares
 * capabilities and seccomp, enters the container's pid namespace for the
 * clone only, and serves the child until it has exec'd. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "crash_point.h"
#include "seccomp_agent.h"
#include "libcontainer/process/process.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/readall.h"
#include "libcontainer/seccomp/seccomp_filter.h"

struct exec_ctx {
	const struct runtime_opts *ro;
	const struct exec_opts *o;
	struct container *c;
	struct berth_spec *spec;
	struct berth_process *parsed; /* from -p */
	struct berth_process proc;    /* what runs: a shallow copy with overrides */
	char **env;		      /* owned array of the copy (strings are borrowed) */
	struct caps_sets caps;
	bool have_caps;
	struct seccomp_filter *seccomp;
	int init_pidfd;
	int sync[2];
	int console_sock;
	int procfd;
	pid_t pid;
	int pidfd;
	int pty_master;
	int notify_sock; /* seccomp listener connected early, or -1 */
	struct pidfile pidfile;
};

/* env of the config, then each -e K=V: a name given twice ends up once,
 * with its last value (process_resolve_exec merges them, as runc does). */
static int merge_env(struct exec_ctx *x, struct berth_error *err)
{
	const struct exec_opts *o = x->o;
	size_t n = x->proc.n_env;

	x->env = calloc(n + o->n_env + 1, sizeof(char *));
	if (!x->env)
		return berr_sys(err, ENOMEM, "allocate env");
	memcpy(x->env, x->proc.env, n * sizeof(char *));
	memcpy(x->env + n, o->env, o->n_env * sizeof(char *));
	x->proc.env = x->env;
	x->proc.n_env = n + o->n_env;
	return 0;
}

static int build_process(struct exec_ctx *x, struct berth_error *err)
{
	const struct exec_opts *o = x->o;

	if (o->process_file) {
		_cleanup_free_ char *text = NULL;
		_cleanup_close_ int fd = open(o->process_file, O_RDONLY | O_CLOEXEC);
		size_t len;
		if (fd < 0)
			return berr_sys(err, errno, "open process file %s", o->process_file);
		if (read_all_fd(fd, 0, 0, &text, &len) < 0)
			return berr_sys(err, errno, "read process file %s", o->process_file);
		x->parsed = berth_process_parse(text, len, err);
		if (!x->parsed)
			return berr_prefix(err, "process file %s", o->process_file);
		x->proc = *x->parsed;
		return 0;
	}
	if (o->n_args == 0)
		return berr_set(err, "exec: no command given (args or --process)");
	x->proc = x->spec->process;
	x->proc.args = o->args;
	x->proc.n_args = o->n_args;
	x->proc.terminal = o->tty;
	x->proc.has_console_size = false;
	if (o->cwd)
		x->proc.cwd = (char *)o->cwd;
	if (o->user.set)
		x->proc.user.uid = o->user.uid;
	if (o->user.has_gid)
		x->proc.user.gid = o->user.gid;
	if (o->n_gids) {
		/* borrowed, as the strings are: the copy is never freed as a whole */
		x->proc.user.additional_gids = (uint32_t *)o->gids;
		x->proc.user.n_additional_gids = o->n_gids;
	}
	if (o->no_new_privs)
		x->proc.no_new_privileges = true;
	if (o->apparmor)
		x->proc.apparmor_profile = (char *)o->apparmor;
	if (o->process_label)
		x->proc.selinux_label = (char *)o->process_label;
	return merge_env(x, err);
}

/* Added capabilities go to bounding, effective and permitted, and to ambient
 * only when the config has inheritable bits; never to inheritable
 * (CVE-2022-29162). */
static int prepare_caps(struct exec_ctx *x, struct berth_error *err)
{
	uint64_t add = x->o->caps;

	if (caps_parse(&x->proc.capabilities, &x->caps, err) < 0)
		return -1;
	x->have_caps = true;
	x->caps.bounding |= add;
	x->caps.effective |= add;
	x->caps.permitted |= add;
	if (x->caps.inheritable)
		x->caps.ambient |= add;
	return 0;
}

static int check_status(struct exec_ctx *x, struct berth_error *err)
{
	switch (container_status(x->c)) {
	case CONTAINER_STOPPED:
	case CONTAINER_CREATING:
		return berr_set(err, "cannot exec in a stopped container");
	case CONTAINER_PAUSED:
		if (!x->o->ignore_paused)
			return berr_set(err, "cannot exec in a paused container (use "
					     "--ignore-paused to override)");
		return 0;
	default:
		return 0;
	}
}

static int load(struct exec_ctx *x, struct berth_error *err)
{
	char path[PATH_MAX + 16];

	if (container_open(x->ro->root, x->o->id, false, &x->c, err) < 0 ||
	    check_status(x, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/config.json", x->c->bundle ? x->c->bundle : ".");
	x->spec = berth_spec_load(path, err);
	if (!x->spec)
		return berr_prefix(err, "container %s", x->o->id);
	enum exeseal_mode seal = exeseal_needed(x->spec, x->o->caps);
	if (x->ro->argv && !exeseal_is_sealed(seal))
		return exeseal_reexec(seal, x->ro->argv, err);
	x->init_pidfd = pidfd_open_pid(x->c->pid, err);
	if (x->init_pidfd < 0 || proc_start_time(x->c->pid) != x->c->start_time)
		return berr_set(err, "cannot exec in a stopped container");
	log_debug("exec in container %s: init pid %d, bundle %s", x->o->id, (int)x->c->pid,
		  x->c->bundle ? x->c->bundle : "?");
	return 0;
}

static int prepare(struct exec_ctx *x, struct berth_error *err)
{
	char cache[PATH_MAX];

	if (build_process(x, err) < 0 || prepare_caps(x, err) < 0 || lsm_check(&x->proc, err) < 0)
		return -1;
	if (x->spec->linux_.seccomp.present) {
		snprintf(cache, sizeof(cache), "%s/.cache", x->ro->root);
		if (seccomp_filter_prepare(&x->spec->linux_.seccomp, cache, &x->seccomp, err) < 0)
			return berr_prefix(err, "linux.seccomp");
	}
	if (x->proc.terminal && x->o->detach && !x->o->console_socket)
		return berr_set(err, "cannot allocate tty if berth will detach without setting "
				     "console socket");
	if (x->proc.terminal && !x->o->console_socket)
		console_size_from_caller(&x->proc);
	if (x->o->console_socket) {
		x->console_sock = console_socket_connect(x->o->console_socket, err);
		if (x->console_sock < 0)
			return -1;
	}
	x->procfd = procfs_open(err);
	if (x->procfd < 0)
		return -1;
	return sync_socketpair(x->sync, err);
}

static int spawn(struct exec_ctx *x, sigset_t *old_mask, struct berth_error *err)
{
	uint64_t all_flags = ns_differing_flags(x->c->pid);
	/* The cgroup namespace is joined by the child, once it is born in the
	 * container's cgroup: with nsdelegate, a process already inside the
	 * container's cgroup namespace may not clone into (nor be moved into)
	 * a cgroup from a cgroup outside that namespace (ENOENT). */
	uint64_t child_flags = all_flags & CLONE_NEWCGROUP;
	uint64_t flags = all_flags & ~(uint64_t)CLONE_NEWCGROUP;
	struct ns_saved saved = {.cwd_fd = -1};
	bool entered = false;
	int cgfd = x->c->cgroup ? cgroup_manager_clone_fd(x->c->cgroup) : -1;
	struct join_config jc = {
	    .proc = &x->proc,
	    .caps = x->have_caps ? &x->caps : NULL,
	    .seccomp = x->seccomp,
	    .sync_fd = x->sync[1],
	    .init_pidfd = x->init_pidfd,
	    .init_pid = x->c->pid,
	    .ns_flags = child_flags,
	    .userns = (flags & CLONE_NEWUSER) != 0,
	    .preserve_fds = x->o->preserve_fds,
	    .parent_fds = {x->sync[0], x->c->dir_fd, x->console_sock, x->procfd, cgfd, -1},
	};
	_cleanup_self_join_ struct cgroup_self_join sj = {.n = 0};
	sigset_t all;

	if (x->c->cgroup && cgroup_manager_open_self_join(x->c->cgroup, &sj, err) < 0)
		return berr_prefix(err, "join container %s", x->o->id);
	jc.self_join = &sj;
	/* The child is born inside every namespace of the container, so nothing
	 * in there ever sees it with the host's root or namespaces. */
	if (((flags & CLONE_NEWUSER) && geteuid() != 0) || x->ro->nested_userns) {
		/* Rootless: only from inside the container's user namespace may we
		 * join the rest, and there is no way back: this process only waits.
		 * Root of a nested user namespace (rootless podman's) can enter the
		 * container's namespaces but not return to the host's: the same.
		 * The seccomp listener is a host path: connect while we see it. */
		if (x->seccomp && seccomp_filter_wants_notify(x->seccomp)) {
			x->notify_sock = seccomp_notify_connect(&x->spec->linux_.seccomp, err);
			if (x->notify_sock < 0)
				return -1;
			jc.parent_fds[5] = x->notify_sock; /* never the child's */
		}
		if (ns_join_pidfd(x->init_pidfd, x->c->pid, flags, err) < 0)
			return berr_prefix(err, "join container %s", x->o->id);
		entered = false;
	} else if (ns_enter_for_clone(x->init_pidfd, x->c->pid, flags, &saved, err) < 0) {
		return berr_prefix(err, "join container %s", x->o->id);
	} else {
		jc.ns_flags |= flags & CLONE_NEWUSER;
		entered = true;
	}
	sigfillset(&all);
	if (!x->o->detach && sigprocmask(SIG_BLOCK, &all, old_mask) < 0)
		return berr_sys(err, errno, "sigprocmask");
	x->pid = clone3_fork(0, cgfd, &x->pidfd, err);
	if (x->pid < 0 && err->errnum == EBUSY && cgfd >= 0) {
		/* The container made its cgroup an inner node with controllers
		 * (systemd inside moves itself to init.scope): no process may be
		 * born there, so join the init's cgroup instead, as runc does. */
		_cleanup_close_ int initcg =
		    cgroup_manager_open_cgroup_of(x->c->cgroup, x->procfd, x->c->pid);

		if (initcg >= 0) {
			jc.parent_fds[4] = initcg;
			x->pid = clone3_fork(0, initcg, &x->pidfd, err);
		}
	}
	if (x->pid == 0)
		join_run(&jc);
	cgroup_self_join_close(&sj);
	if (entered && ns_restore(&saved, x->pid > 0 ? err : NULL) < 0 && x->pid > 0)
		return -1;
	if (x->pid < 0)
		return -1;
	log_debug("exec process pid %d (%s), namespaces joined 0x%llx%s", (int)x->pid,
		  x->proc.args[0], (unsigned long long)flags,
		  x->proc.terminal ? ", with a terminal" : "");
	crash_point("exec.cloned");
	close(x->sync[1]);
	x->sync[1] = -1;
	if (x->c->cgroup && cgroup_manager_add_pid(x->c->cgroup, x->pid, err) < 0)
		return -1;
	crash_point("exec.placed");
	if (process_write_oom_score_adj(x->pid, &x->proc, x->procfd, err) < 0)
		return -1;
	if (sync_send(x->sync[0], SYNC_GO, 0, NULL, 0, -1, err) < 0)
		return -1;
	crash_point("exec.go-sent");
	return 0;
}

/* Until the child's end closes (its execve succeeded) or it reports an error. */
static int serve(struct exec_ctx *x, struct berth_error *err)
{
	struct sync_msg msg;
	struct berth_error rerr;

	for (;;) {
		if (sync_recv(x->sync[0], &msg, &rerr) < 0) {
			if (rerr.errnum != EPROTO)
				return 0; /* closed on exec (a death shows in its status) */
			*err = rerr;
			return berr_prefix(err, "exec");
		}
		switch (msg.type) {
		case SYNC_ERROR:
			berr_set(err, "%s", msg.payload);
			err->errnum = (int)msg.value;
			return -1;
		case SYNC_PTY_MASTER:
			if (x->console_sock >= 0) {
				int rc = console_send_fd(x->console_sock, msg.fd, err);
				close(msg.fd);
				if (rc < 0)
					return -1;
			} else {
				x->pty_master = msg.fd;
			}
			break;
		case SYNC_SECCOMP_FD: {
			_cleanup_free_ char *state = container_state_json(x->c, &rerr);
			_cleanup_free_ char *agent = seccomp_agent_message(
			    &x->spec->linux_.seccomp, x->pid, state ? state : "{}", err);
			int rc = !agent ? berr_prefix(err, "seccomp listener")
				 : x->notify_sock >= 0
				     ? seccomp_notify_send(x->notify_sock, &x->spec->linux_.seccomp,
							   msg.fd, agent, err)
				     : seccomp_notify_forward(&x->spec->linux_.seccomp, msg.fd,
							      agent, err);
			if (x->notify_sock >= 0) {
				close(x->notify_sock); /* the agent reads until EOF */
				x->notify_sock = -1;
			}
			close(msg.fd);
			if (rc < 0 ||
			    sync_send(x->sync[0], SYNC_SECCOMP_DONE, 0, NULL, 0, -1, err) < 0)
				return -1;
			break;
		}
		default:
			if (msg.fd >= 0)
				close(msg.fd);
			return berr_set(err, "exec: unexpected message %s",
					sync_type_name((enum sync_type)msg.type));
		}
	}
}

static void cleanup(struct exec_ctx *x)
{
	for (int i = 0; i < 2; i++)
		if (x->sync[i] >= 0)
			close(x->sync[i]);
	if (x->console_sock >= 0)
		close(x->console_sock);
	if (x->procfd >= 0)
		close(x->procfd);
	if (x->init_pidfd >= 0)
		close(x->init_pidfd);
	if (x->pidfd >= 0)
		close(x->pidfd);
	if (x->pty_master >= 0)
		close(x->pty_master);
	if (x->notify_sock >= 0)
		close(x->notify_sock);
	pidfile_close(&x->pidfile);
	if (x->seccomp)
		seccomp_filter_free(x->seccomp);
	free(x->env);
	if (x->parsed)
		berth_process_free(x->parsed);
	berth_spec_free(x->spec);
	container_close(x->c);
}

int runtime_exec(const struct runtime_opts *ro, const struct exec_opts *o, struct berth_error *err)
{
	struct exec_ctx x = {.ro = ro,
			     .o = o,
			     .init_pidfd = -1,
			     .sync = {-1, -1},
			     .console_sock = -1,
			     .procfd = -1,
			     .pidfd = -1,
			     .pty_master = -1,
			     .notify_sock = -1,
			     .pidfile = {.dir_fd = -1}};
	sigset_t old_mask;
	int rc = -1;

	sigemptyset(&old_mask);
	if (load(&x, err) < 0 || prepare(&x, err) < 0 ||
	    pidfile_prepare(o->pid_file, &x.pidfile, err) < 0 || spawn(&x, &old_mask, err) < 0 ||
	    serve(&x, err) < 0) {
		/* A child still waiting for SYNC_GO sees the socket close and exits. */
		if (x.sync[0] >= 0) {
			close(x.sync[0]);
			x.sync[0] = -1;
		}
		if (x.pid > 0)
			while (waitpid(x.pid, NULL, 0) < 0 && errno == EINTR)
				;
		goto out;
	}
	crash_point("exec.started");
	if (pidfile_commit(&x.pidfile, x.pid, err) < 0)
		goto out;
	if (o->detach) {
		rc = 0;
		goto out;
	}
	rc = runtime_wait_child(x.pid, x.pidfd, x.pty_master, err);
	log_debug("exec process pid %d exited: status %d", (int)x.pid, rc);
out:
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
	cleanup(&x);
	return rc;
}
