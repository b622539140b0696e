/* exec.c - `exec`: it checks the container may take a process, builds
 * the process from the container's config and the flags (or from a
 * process.json), prepares capabilities and seccomp, then has it cloned
 * into the container and served until it has exec'd
 * (libcontainer/process/spawn.h, serve.h). */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "crash_point.h"
#include "seccomp_agent.h"
#include "libcontainer/process/process.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
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
	struct spawned child; /* the process: pid, pidfd, sync socket, console */
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
	if (o->n_args == 0) {
		berr_set(err, "exec: no command given");
		return berr_reason(err, RUNTIME_ERR_EXEC_NO_COMMAND);
	}
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
		if (!x->o->ignore_paused) {
			berr_set(err, "cannot exec in a paused container");
			return berr_reason(err, RUNTIME_ERR_EXEC_PAUSED);
		}
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
	if (exeseal_ensure(x->spec, x->o->caps, x->ro->argv, err) < 0)
		return -1;
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
		x->child.console_sock = console_socket_connect(x->o->console_socket, err);
		if (x->child.console_sock < 0)
			return -1;
	}
	return spawn_open(&x->child, err);
}

static int spawn(struct exec_ctx *x, sigset_t *old_mask, struct berth_error *err)
{
	struct spawned *ch = &x->child;
	struct cgroup_manager *cg = x->c->cgroup;
	struct join_config jc = {
	    .proc = &x->proc,
	    .caps = x->have_caps ? &x->caps : NULL,
	    .seccomp = x->seccomp,
	    .sync_fd = ch->child_sock,
	    .init_pidfd = x->init_pidfd,
	    .init_pid = x->c->pid,
	    .preserve_fds = x->o->preserve_fds,
	    .parent_fds = {ch->sock, x->c->dir_fd, ch->console_sock, ch->procfd,
			   cg ? cgroup_manager_clone_fd(cg) : -1, -1},
	};
	const struct spawn_join j = {
	    .id = x->o->id,
	    .cgroup = cg,
	    .seccomp = &x->spec->linux_.seccomp,
	    .nested_userns = x->ro->nested_userns,
	    .old_mask = x->o->detach ? NULL : old_mask,
	};

	if (spawn_join(ch, &jc, &j, err) < 0)
		return -1;
	crash_point("exec.cloned");
	if (spawn_place(ch, cg, err) < 0)
		return -1;
	crash_point("exec.placed");
	if (spawn_go(ch, &x->proc, err) < 0)
		return -1;
	crash_point("exec.go-sent");
	return 0;
}

/* What linux.seccomp's listener gets with the notify fd: the container
 * as it is. */
static char *listener_message(void *arg, struct berth_error *err)
{
	struct exec_ctx *x = arg;
	struct berth_error ignored;
	_cleanup_free_ char *state = container_state_json(x->c, &ignored);

	return seccomp_agent_message(&x->spec->linux_.seccomp, x->child.pid, state ? state : "{}",
				     err);
}

/* What the process asks for until its execve closes the socket. */
static const struct serve_handler exec_requests[] = {
    {SYNC_PTY_MASTER, serve_pty_master, "pty"},
    {SYNC_SECCOMP_FD, serve_seccomp_fd, "seccomp fd"},
};

static int serve(struct exec_ctx *x, struct berth_error *err)
{
	const struct serve s = {
	    .peer = "exec",
	    .done_at_close = true,
	    .handlers = exec_requests,
	    .n_handlers = sizeof(exec_requests) / sizeof(exec_requests[0]),
	    .child = &x->child,
	    .spec = x->spec,
	    .seccomp_message = listener_message,
	    .arg = x,
	};

	return serve_child(&s, err);
}

static void cleanup(struct exec_ctx *x)
{
	spawned_close(&x->child);
	if (x->init_pidfd >= 0)
		close(x->init_pidfd);
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
	struct exec_ctx x = {
	    .ro = ro, .o = o, .init_pidfd = -1, .child = SPAWNED_INIT, .pidfile = {.dir_fd = -1}};
	sigset_t old_mask;
	int rc = -1;

	sigemptyset(&old_mask);
	if (load(&x, err) < 0 || prepare(&x, err) < 0 ||
	    pidfile_prepare(o->pid_file, &x.pidfile, err) < 0 || spawn(&x, &old_mask, err) < 0 ||
	    serve(&x, err) < 0) {
		spawned_abandon(&x.child);
		goto out;
	}
	crash_point("exec.started");
	if (pidfile_commit(&x.pidfile, x.child.pid, err) < 0)
		goto out;
	if (o->detach) {
		rc = 0;
		goto out;
	}
	rc = runtime_wait_child(x.child.pid, x.child.pidfd, x.child.pty_master, err);
	log_debug("exec process pid %d exited: status %d", (int)x.child.pid, rc);
out:
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
	cleanup(&x);
	return rc;
}
