/* create.c - `create`: the OCI side of ARCHITECTURE.md's process model.
 *
 * Everything is prepared before the clone (config, state dir, cgroup with
 * its limits, capabilities, seccomp), then the init is cloned into its
 * namespaces and cgroup and served until it is ready
 * (libcontainer/process/spawn.h, serve.h); between those steps create
 * records what it made (intent, state.json) and runs the parent's hooks.
 * On any failure everything made here is torn down again. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "crash_point.h"
#include "create_common.h"
#include "host_rootfs.h"
#include "intent.h"
#include "lifecycle.h"
#include "seccomp_agent.h"
#include "libcontainer/process/process.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "libcontainer/seccomp/seccomp_filter.h"
#include "state_dir.h"

/* Everything create holds while it works; released by create_cleanup(). */
struct create_ctx {
	const struct runtime_opts *ro;
	const struct create_opts *o;
	struct berth_spec *spec;
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char pid_file[PATH_MAX];
	struct container c; /* filled as we go, saved as state.json */
	bool dir_made;
	int start_fd;
	struct caps_sets caps;
	bool have_caps;
	struct seccomp_filter *seccomp;
	int listen_fds;	      /* LISTEN_FDS passed on, before the --preserve-fds ones */
	struct spawned child; /* the init: pid, pidfd, sync socket, console */
};

/* systemd socket activation: fds 3..3+LISTEN_FDS-1 meant for us pass on
 * to the workload, which sees LISTEN_FDS=n and LISTEN_PID=1 (runc's rule). */
static int take_listen_fds(struct create_ctx *x, struct berth_error *err)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	struct berth_process *p = &x->spec->process;
	char *end;

	if (!fds || !pid || strtol(pid, &end, 10) != getpid() || *end)
		return 0;
	long n = strtol(fds, &end, 10);
	if (*end || n <= 0 || n > 1024)
		return 0;
	char **env = realloc(p->env, (p->n_env + 3) * sizeof(char *));
	if (!env)
		return berr_sys(err, ENOMEM, "LISTEN_FDS");
	p->env = env;
	if (asprintf(&env[p->n_env], "LISTEN_FDS=%ld", n) < 0 ||
	    !(env[p->n_env + 1] = strdup("LISTEN_PID=1")))
		return berr_sys(err, ENOMEM, "LISTEN_FDS");
	p->n_env += 2;
	env[p->n_env] = NULL;
	x->listen_fds = (int)n;
	return 0;
}

static int make_state_dir(struct create_ctx *x, struct berth_error *err)
{
	x->c.dir_fd = state_dir_create(x->ro->root, x->o->id, err);
	if (x->c.dir_fd < 0)
		return -1;
	x->dir_made = true;
	x->c.lock_fd = x->c.dir_fd;
	if (container_fill_new(&x->c, x->ro->root, x->o->id, x->bundle, x->rootfs, x->spec, err) <
	    0)
		return -1;
	crash_point("create.state-dir");
	x->start_fd = state_dir_make_fifo(x->c.dir_fd, err);
	return x->start_fd < 0 ? -1 : 0;
}

static int make_cgroup(struct create_ctx *x, struct berth_error *err)
{
	return container_make_cgroup(&x->c, x->spec, x->ro, "create", err);
}

static int prepare_security(struct create_ctx *x, struct berth_error *err)
{
	char cache[PATH_MAX];
	const struct berth_process *p = &x->spec->process;

	/* No process.capabilities means no capabilities at all, as with runc. */
	if (caps_parse(&p->capabilities, &x->caps, err) < 0)
		return -1;
	x->have_caps = true;
	if (lsm_check(p, err) < 0)
		return -1;
	if (x->spec->linux_.seccomp.present) {
		snprintf(cache, sizeof(cache), "%s/.cache", x->ro->root);
		if (seccomp_filter_prepare(&x->spec->linux_.seccomp, cache, &x->seccomp, err) < 0)
			return berr_prefix(err, "linux.seccomp");
	}
	return 0;
}

/* The state document handed to hooks, as it is at this moment. */
static char *hook_state(struct create_ctx *x, const char *status)
{
	return container_hook_state(&x->c, status, x->child.pid);
}

/* What linux.seccomp's listener gets with the notify fd. */
static char *listener_message(void *arg, struct berth_error *err)
{
	struct create_ctx *x = arg;
	_cleanup_free_ char *state = hook_state(x, "creating");

	return seccomp_agent_message(&x->spec->linux_.seccomp, x->child.pid, state ? state : "{}",
				     err);
}

static int on_maps_request(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	if (serve_maps(s, msg, err) < 0)
		return -1;
	crash_point("create.maps-written");
	return 0;
}

/* prestart and createRuntime here; the init gets the documents for its
 * own: createContainer runs while the container is still "creating",
 * startContainer once `start` released it, in a "created" one (as runc
 * reports them). */
static int on_hooks_request(const struct serve *s, struct sync_msg *msg, struct berth_error *err)
{
	struct create_ctx *x = s->arg;
	const struct berth_hooks *h = &x->spec->hooks;

	(void)msg;
	crash_point("create.hooks-requested");
	_cleanup_free_ char *creating = hook_state(x, "creating");
	_cleanup_free_ char *created = hook_state(x, "created");
	if (!creating || !created)
		return berr_set(err, "encode the state for hooks");
	if (hooks_run(&h->prestart, "prestart", creating, err) < 0 ||
	    hooks_run(&h->create_runtime, "createRuntime", creating, err) < 0 ||
	    sync_send_hook_states(x->child.sock, creating, created, err) < 0)
		return -1;
	crash_point("create.hooks-done");
	return 0;
}

/* What the init asks for between its clone and READY. */
static const struct serve_handler init_requests[] = {
    {SYNC_MAPS_REQUEST, on_maps_request, NULL},
    {SYNC_HOOKS_REQUEST, on_hooks_request, NULL},
    {SYNC_PTY_MASTER, serve_pty_master, "pty"},
    {SYNC_SECCOMP_FD, serve_seccomp_fd, "seccomp fd"},
    {SYNC_READY, serve_ready, NULL},
};

static int serve_init(struct create_ctx *x, struct berth_error *err)
{
	const struct serve s = {
	    .peer = "container init",
	    .handlers = init_requests,
	    .n_handlers = sizeof(init_requests) / sizeof(init_requests[0]),
	    .child = &x->child,
	    .spec = x->spec,
	    .seccomp_message = listener_message,
	    .arg = x,
	};

	return serve_child(&s, err);
}

/* The systemd driver learns its cgroup only once the init is in it. */
static int note_cgroup_path(struct create_ctx *x, struct berth_error *err)
{
	if (strcmp(x->c.cgroup_path, cgroup_manager_path(x->c.cgroup)) == 0)
		return 0;
	free(x->c.cgroup_path);
	x->c.cgroup_path = strdup(cgroup_manager_path(x->c.cgroup));
	if (!x->c.cgroup_path)
		return berr_sys(err, ENOMEM, "cgroup path");
	return intent_record_cgroup(x->c.dir_fd, x->rootfs, cgroup_manager_driver(x->c.cgroup),
				    x->c.cgroup_path, err);
}

static int spawn(struct create_ctx *x, struct berth_error *err)
{
	struct spawned *ch = &x->child;
	char keyring[128];

	/* No mount namespace: the init mounts in the host's, as runc's does;
	 * note the rootfs's mount first so that all of it can be taken off
	 * again (create_cleanup, delete). */
	if (host_rootfs_needed(x->spec) &&
	    host_rootfs_note(x->c.dir_fd, x->spec, x->rootfs, err) < 0)
		return -1;
	if (spawn_open(ch, err) < 0)
		return -1;
	snprintf(keyring, sizeof(keyring), "_ses.%s", x->o->id);
	struct init_config cfg = {
	    .spec = x->spec,
	    .rootfs = x->rootfs,
	    .sync_fd = ch->child_sock,
	    .start_fd = x->start_fd,
	    .no_pivot = x->o->no_pivot,
	    .keyring_name = x->o->no_new_keyring ? NULL : keyring,
	    .preserve_fds = x->listen_fds + x->o->preserve_fds,
	    .caps = x->have_caps ? &x->caps : NULL,
	    .seccomp = x->seccomp,
	    .nested_userns = x->ro->nested_userns,
	    .host_procfd = ch->procfd,
	    .parent_fds = {ch->sock, x->c.dir_fd, ch->console_sock,
			   cgroup_manager_clone_fd(x->c.cgroup), -1, -1},
	};
	if (spawn_init(ch, &cfg, x->bundle, x->c.cgroup, err) < 0)
		return -1;
	crash_point("create.cloned");
	/* Before anything else: from now on delete -f can find and kill it. */
	x->c.start_time = proc_start_time(ch->pid);
	if (intent_record_init(x->c.dir_fd, ch->pid, x->c.start_time, err) < 0)
		return -1;
	crash_point("create.init-recorded");
	if (spawn_place(ch, x->c.cgroup, err) < 0 || note_cgroup_path(x, err) < 0)
		return -1;
	crash_point("create.placed");
	if (spawn_go(ch, &x->spec->process, err) < 0)
		return -1;
	crash_point("create.go-sent");
	return serve_init(x, err);
}

static void create_cleanup(struct create_ctx *x, bool failed)
{
	struct berth_error ignored;

	if (failed)
		spawned_kill(&x->child);
	if (failed && x->c.cgroup)
		cgroup_manager_destroy(x->c.cgroup, &ignored);
	if (failed && x->dir_made && host_rootfs_release(x->c.dir_fd, x->rootfs, &ignored) < 0)
		log_warn("%s", ignored.msg);
	if (failed && x->dir_made)
		state_dir_remove(x->ro->root, x->o->id);
	spawned_close(&x->child);
	if (x->start_fd >= 0)
		close(x->start_fd);
	if (x->seccomp)
		seccomp_filter_free(x->seccomp);
	container_release_new(&x->c);
}

int runtime_create(const struct runtime_opts *ro, const struct create_opts *o,
		   struct created_container *out, struct berth_error *err)
{
	struct create_ctx x = {.ro = ro, .o = o, .start_fd = -1, .child = SPAWNED_INIT};
	int rc = -1;

	x.c.dir_fd = -1;
	x.c.lock_fd = -1;
	if (container_id_validate(o->id, err) < 0)
		return -1;
	if (pidfile_absolute(o->pid_file, x.pid_file, err) < 0)
		return -1;
	if (bundle_load(o->bundle, true, x.bundle, x.rootfs, &x.spec, err) < 0 ||
	    take_listen_fds(&x, err) < 0)
		goto out;
	if (exeseal_ensure(x.spec, 0, ro->argv, err) < 0)
		goto out;
	if (o->foreground) {
		/* Blocked before the clone so none is lost; the init unblocks its own. */
		sigset_t all;
		sigfillset(&all);
		if (sigprocmask(SIG_BLOCK, &all, &out->old_sigmask) < 0) {
			berr_sys(err, errno, "sigprocmask");
			goto out;
		}
	}
	/* The state dir first: the seccomp cache lives under its root. */
	if (console_socket_setup(&x.spec->process, o->console_socket, o->foreground,
				 &x.child.console_sock, err) < 0 ||
	    make_state_dir(&x, err) < 0 || prepare_security(&x, err) < 0 ||
	    make_cgroup(&x, err) < 0 || spawn(&x, err) < 0)
		goto out;
	x.c.pid = x.child.pid;
	x.c.has_poststart = x.spec->hooks.poststart.n > 0;
	x.c.has_poststop = x.spec->hooks.poststop.n > 0;
	crash_point("create.ready");
	if (container_save(&x.c, err) < 0)
		goto out;
	crash_point("create.saved");
	if (x.pid_file[0]) {
		struct pidfile pf;
		int prc = pidfile_prepare(x.pid_file, &pf, err);
		if (prc == 0)
			prc = pidfile_commit(&pf, x.child.pid, err);
		pidfile_close(&pf);
		if (prc < 0)
			goto out;
		crash_point("create.pid-file");
	}
	log_debug("created container %s, init pid %d", o->id, (int)x.child.pid);
	rc = 0;
	/* handed over: the caller waits for the init and proxies its pty */
	out->pid = x.child.pid;
	out->pidfd = x.child.pidfd;
	out->pty_master = x.child.pty_master;
	out->spec = x.spec;
	x.child.pidfd = x.child.pty_master = -1;
out:
	create_cleanup(&x, rc < 0);
	if (rc < 0 && o->foreground)
		sigprocmask(SIG_SETMASK, &out->old_sigmask, NULL);
	if (rc < 0) {
		berth_spec_free(x.spec);
		return -1;
	}
	return 0;
}
